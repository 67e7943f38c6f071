import { createHmac, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { deriveKey } from '../core/config/derive-key.js';
import { throttleConfig, type ThrottleConfig } from '../core/config/throttle.config.js';
import { normaliseEmail } from '../core/text/user-email.js';
import { AppError } from '../core/http/app-error.js';

const LOCKED = 'Too many failed attempts; try again later';
/** No email contains a space, so these keys never collide with an email's. */
const SECOND_FACTOR_PREFIX = 'second factor ';

export interface LoginAttempt {
  /** This attempt was the last one allowed: if it fails, the email stays locked. */
  locksOnFailure: boolean;
}

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

  /**
   * Counts a login attempt as a failure before its password is checked, and throws a 429 with
   * Retry-After when the email is locked. Checking and counting are one statement, so attempts
   * that arrive together cannot all slip past the check: at most LOCKOUT_THRESHOLD passwords per
   * window ever reach bcrypt. The attempt that reaches the threshold starts the lockout at once;
   * if it succeeds, reset() lifts it.
   */
  beginAttempt(email: string): Promise<LoginAttempt> {
    return this.begin(this.keyOf(email));
  }

  /**
   * The same rule for second-factor codes of one account, on a counter of its own: a correct
   * password resets the email's counter, so sharing it would let whoever knows the password
   * reset the count of wrong codes at will.
   */
  beginSecondFactorAttempt(userId: string): Promise<LoginAttempt> {
    return this.begin(this.keyOf(`${SECOND_FACTOR_PREFIX}${userId}`));
  }

  /** A correct code starts that account's second-factor count again. */
  async resetSecondFactor(userId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM login_failures WHERE key = $1', [this.keyOf(`${SECOND_FACTOR_PREFIX}${userId}`)]);
  }

  private async begin(key: string): Promise<LoginAttempt> {
    const [row]: Array<{ failures: number; locked_seconds: number | null }> = await this.dataSource.query(
      `INSERT INTO login_failures AS f (key, failures, window_ends, locked_until)
       VALUES ($1, 1, now() + make_interval(mins => $3), CASE WHEN $2 <= 1 THEN now() + make_interval(mins => $3) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN greatest(f.window_ends, f.locked_until) <= now() THEN 1 ELSE least(f.failures + 1, $2 + 1) END,
         window_ends = CASE WHEN greatest(f.window_ends, f.locked_until) <= now() THEN EXCLUDED.window_ends ELSE f.window_ends END,
         locked_until = CASE
           WHEN greatest(f.window_ends, f.locked_until) <= now() THEN EXCLUDED.locked_until
           WHEN f.locked_until > now() THEN f.locked_until
           WHEN f.failures + 1 >= $2 THEN now() + make_interval(mins => $3)
         END
       RETURNING failures, ceil(extract(epoch FROM locked_until - now()))::int AS locked_seconds`,
      [key, this.config.lockoutThreshold, this.config.lockoutMinutes],
    );
    if (row.failures > this.config.lockoutThreshold) {
      throw new AppError('AUTH_LOCKED', LOCKED, Math.max(1, row.locked_seconds ?? this.config.lockoutMinutes * 60));
    }
    return { locksOnFailure: row.failures === this.config.lockoutThreshold };
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
