import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SessionsService } from '../sessions/sessions.service.js';
import type { RevocationEvent } from '../sessions/revocation-list.js';

type Publish = (event: RevocationEvent | null) => void;

/**
 * What the email flows change on an account, inside a transaction the caller opened through
 * RevocationList.commit (so the redeemed link, the change and the revocations commit together).
 *
 * Each change bumps users.security_stamp, so every other outstanding link of the account dies.
 */
@Injectable()
export class AccountChanges {
  constructor(private readonly sessions: SessionsService) {}

  /** New password; every session of the account ends on every instance. */
  async resetPasswordIn(manager: EntityManager, publish: Publish, userId: string, passwordHash: string): Promise<void> {
    await manager.query(
      `UPDATE users SET password_hash = $2, security_stamp = security_stamp + 1, updated_at = now() WHERE id = $1`,
      [userId, passwordHash],
    );
    publish(await this.sessions.revokeAllIn(manager, userId, 'password_change'));
  }

  /** New address (verified by the link that confirmed it). A unique violation means it was taken meanwhile. */
  async changeEmailIn(manager: EntityManager, userId: string, email: string): Promise<void> {
    await manager.query(
      `UPDATE users SET email = $2, email_verified_at = now(), security_stamp = security_stamp + 1, updated_at = now() WHERE id = $1`,
      [userId, email],
    );
  }
}
