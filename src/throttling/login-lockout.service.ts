import { createHmac, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { authConfig, type AuthConfig } from '../config/auth.config.js';
import { deriveKey } from '../config/derive-key.js';
import { throttleConfig, type ThrottleConfig } from '../config/throttle.config.js';
import { normaliseEmail } from '../users/user-email.js';
import { TooManyAttemptsException } from './too-many-attempts.exception.js';

const LOCKED = 'Too many failed attempts; try again later';

/**
 * Per-account lockout: after LOCKOUT_THRESHOLD failed logins for one email within
 * LOCKOUT_MINUTES, logins for it are refused for LOCKOUT_MINUTES, whatever the IP. Counters are
 * keyed by an HMAC of the normalised email, never by account, so an unknown email locks exactly
 * like a real one and the answer says nothing about whether the account exists.
 */
@Injectable()
export class LoginLockout {
  private readonly key: KeyObject;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(throttleConfig.KEY) private readonly config: ThrottleConfig,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.key = deriveKey(auth.jwtSecret, 'login lockout v1');
  }

  /** Throws a 429 with Retry-After while the email is locked; called before any bcrypt work. */
  async assertNotLocked(email: string): Promise<void> {
    const [row]: Array<{ seconds: number }> = await this.dataSource.query(
      'SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds FROM login_failures WHERE key = $1 AND locked_until > now()',
      [this.keyOf(email)],
    );
    if (row) throw new TooManyAttemptsException(LOCKED, Math.max(1, row.seconds));
  }

  /** Counts a failure in one statement; true when this failure locked the email. */
  async recordFailure(email: string): Promise<boolean> {
    const [row]: Array<{ locked_now: boolean }> = await this.dataSource.query(
      `INSERT INTO login_failures AS f (key, failures, window_ends, locked_until)
       VALUES ($1, 1, now() + make_interval(mins => $3), CASE WHEN 1 >= $2 THEN now() + make_interval(mins => $3) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN f.window_ends <= now() THEN 1 ELSE f.failures + 1 END,
         window_ends = CASE WHEN f.window_ends <= now() THEN EXCLUDED.window_ends ELSE f.window_ends END,
         locked_until = CASE
           WHEN (CASE WHEN f.window_ends <= now() THEN 1 ELSE f.failures + 1 END) >= $2 THEN now() + make_interval(mins => $3)
           ELSE f.locked_until END
       RETURNING failures = $2 AS locked_now`,
      [this.keyOf(email), this.config.lockoutThreshold, this.config.lockoutMinutes],
    );
    return row.locked_now;
  }

  /** A successful login starts the count again. */
  async reset(email: string): Promise<void> {
    await this.dataSource.query('DELETE FROM login_failures WHERE key = $1', [this.keyOf(email)]);
  }

  @Interval('lockout-sweep', 10 * 60_000)
  async sweep(): Promise<void> {
    await this.dataSource
      .query('DELETE FROM login_failures WHERE window_ends < now() AND (locked_until IS NULL OR locked_until < now())')
      .catch(() => undefined);
  }

  private keyOf(email: string): string {
    return createHmac('sha256', this.key).update(normaliseEmail(email)).digest('base64url');
  }
}
