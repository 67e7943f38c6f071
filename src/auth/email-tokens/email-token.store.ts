import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { EmailTokenPurpose } from './email-token.entity.js';

/** What a link was issued for, as read back when it is redeemed. */
export interface RedeemedToken {
  userId: string;
  securityStamp: number;
  email: string;
  expired: boolean;
}

export interface TokenGrant {
  userId: string;
  securityStamp: number;
  email: string;
  purpose: EmailTokenPurpose;
  ttlSeconds: number;
}

/** 256 random bits: hashing with plain SHA-256 is enough (nothing to brute-force), and lookups are by hash. */
const TOKEN_BYTES = 32;

/**
 * The single-use links sent by mail. The raw token exists only in the mail (and, until delivery,
 * in its outbox row); here only its SHA-256 is kept. A token is found by the hash of what the
 * client presents, so no secret is ever compared byte by byte (nothing to time).
 */
@Injectable()
export class EmailTokenStore {
  private readonly logger = new Logger(EmailTokenStore.name);

  constructor(private readonly dataSource: DataSource) {}

  static hashOf(token: string): Buffer {
    return createHash('sha256').update(token, 'utf8').digest();
  }

  /**
   * Issues a token in the caller's transaction. Earlier unused links of the same purpose for the
   * account stop working: only the newest mail is good.
   */
  async issue(manager: EntityManager, grant: TokenGrant): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    await manager.query(
      `UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [grant.userId, grant.purpose],
    );
    const [row]: Array<{ expires_at: Date }> = await manager.query(
      `INSERT INTO email_tokens (user_id, purpose, token_hash, security_stamp, email, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))
       RETURNING expires_at`,
      [grant.userId, grant.purpose, EmailTokenStore.hashOf(token), grant.securityStamp, grant.email, grant.ttlSeconds],
    );
    return { token, expiresAt: row.expires_at };
  }

  /**
   * Spends a token: one statement marks it used and answers what it was for, so two requests
   * presenting the same link cannot both succeed. A token of another purpose is not found at all.
   * An expired one is spent too (it is dead either way) and reported as expired.
   */
  async redeem(manager: EntityManager, token: string, purpose: EmailTokenPurpose): Promise<RedeemedToken | null> {
    const [rows]: [Array<{ user_id: string; security_stamp: number; email: string; expired: boolean }>, number] = await manager.query(
      `UPDATE email_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL
        RETURNING user_id, security_stamp, email, expires_at <= now() AS expired`,
      [EmailTokenStore.hashOf(token), purpose],
    );
    const row = rows[0];
    return row ? { userId: row.user_id, securityStamp: row.security_stamp, email: row.email, expired: row.expired } : null;
  }

  /** The same answer as redeem, without spending the token. */
  async peek(token: string, purpose: EmailTokenPurpose): Promise<RedeemedToken | null> {
    const [row]: Array<{ user_id: string; security_stamp: number; email: string; expired: boolean }> = await this.dataSource.query(
      `SELECT user_id, security_stamp, email, expires_at <= now() AS expired FROM email_tokens
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL`,
      [EmailTokenStore.hashOf(token), purpose],
    );
    return row ? { userId: row.user_id, securityStamp: row.security_stamp, email: row.email, expired: row.expired } : null;
  }

  /** Spent and expired links are of no use to anyone after a day (kept that long for support questions). */
  @Interval('email-token-sweep', 60 * 60_000)
  async sweep(): Promise<void> {
    await this.dataSource
      .query(`DELETE FROM email_tokens WHERE coalesce(used_at, expires_at) < now() - interval '1 day'`)
      .catch((error: unknown) => this.logger.warn(`Email token sweep failed: ${error instanceof Error ? error.message : 'non-Error thrown'}`));
  }
}
