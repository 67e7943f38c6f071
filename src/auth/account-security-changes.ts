import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RevocationList } from '../sessions/revocation-list.js';
import { SessionsService, type RevocationReason } from '../sessions/sessions.service.js';
import { User } from '../users/user.entity.js';

/**
 * A change to how an account is protected, committed together with its consequences: the
 * account's security stamp moves (pending MFA challenges and anything else bound to the old stamp
 * die) and every session but the caller's ends, on every instance.
 *
 * The MFA flows depend on this small surface only; the account-lifecycle service of the security
 * work provides the same guarantee for password, role and disable changes and can take its place.
 */
@Injectable()
export class AccountSecurityChanges {
  constructor(
    private readonly revocation: RevocationList,
    private readonly sessions: SessionsService,
  ) {}

  apply<T>(userId: string, reason: RevocationReason, keepSessionId: string, change: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.revocation.commit(async (manager, publish) => {
      const result = await change(manager);
      await manager.increment(User, { id: userId }, 'securityStamp', 1);
      publish(await this.sessions.revokeAllIn(manager, userId, reason, keepSessionId));
      return result;
    });
  }
}
