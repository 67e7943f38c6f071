import { createHmac, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { deriveKey } from '../core/config/derive-key.js';
import { normaliseEmail } from '../core/text/user-email.js';

/**
 * A small fixed-window counter per email address (password-reset and verification mails), kept in
 * the shared rate_limits table so it holds across instances and IPs. Keyed by an HMAC of the
 * normalised address: unknown addresses count exactly like real ones, and the table does not
 * list who asked.
 */
@Injectable()
export class PerEmailLimit {
  private readonly key: KeyObject;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.key = deriveKey(auth.jwtSecret, 'per-email limit v1');
  }

  /** Counts one use of `scope` for the address; true while within `limit` uses per window. */
  async allow(scope: string, email: string, limit: number, windowMs: number): Promise<boolean> {
    const key = `email:${scope}:${createHmac('sha256', this.key).update(normaliseEmail(email)).digest('base64url')}`;
    const [row]: Array<{ hits: number }> = await this.dataSource.query(
      `INSERT INTO rate_limits AS r (key, hits, window_ends) VALUES ($1, 1, now() + make_interval(secs => $2 / 1000.0))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_ends <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends = CASE WHEN r.window_ends <= now() THEN EXCLUDED.window_ends ELSE r.window_ends END
       RETURNING hits`,
      [key, windowMs],
    );
    return row.hits <= limit;
  }
}
