import { Injectable } from '@nestjs/common';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../core/http/app-error.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { LoginLockout } from '../throttling/login-lockout.service.js';

/** Thrown inside a second-factor check (even mid-transaction, to roll it back) for a wrong code. */
export class WrongSecondFactor extends Error {}

export type SecondFactorMethod = 'totp' | 'recovery_code';

export interface SecondFactorAttempt {
  userId: string;
  method: SecondFactorMethod;
  /** What the code was for, in the audit trail: sign_in, enable, disable, recovery_codes. */
  purpose: string;
  /** The answer to a wrong code: 401 on the sign-in route, 403 for a signed-in caller. */
  wrongCode: 'AUTH_MFA_INVALID' | 'AUTH_MFA_WRONG_CODE';
  client: ClientInfo;
}

/**
 * Every check of a TOTP or recovery code goes through here: it is counted in the account's
 * second-factor lockout before the code is looked at (so parallel guesses cannot slip past the
 * threshold), a wrong code is audited, and a right one resets the count.
 */
@Injectable()
export class SecondFactor {
  constructor(
    private readonly lockout: LoginLockout,
    private readonly audit: AuditService,
  ) {}

  /** Runs `check`, which returns false (or throws WrongSecondFactor) for a wrong code. */
  async attempt<T>(attempt: SecondFactorAttempt, check: () => Promise<T | false>): Promise<T> {
    const { userId, method, purpose, client } = attempt;
    const counted = await this.lockout.beginSecondFactorAttempt(userId).catch(async (error: unknown) => {
      await this.audit.record({ type: AuditEventType.MfaFailed, userId, client, details: { method, purpose, reason: 'locked' } });
      throw error;
    });
    const result = await check().catch((error: unknown) => {
      if (error instanceof WrongSecondFactor) return false as const;
      throw error;
    });
    if (result === false) {
      await this.audit.record({ type: AuditEventType.MfaFailed, userId, client, details: { method, purpose, reason: 'wrong_code' } });
      if (counted.locksOnFailure) await this.audit.record({ type: AuditEventType.MfaLockout, userId, client });
      throw new AppError(attempt.wrongCode, 'Invalid or already used code');
    }
    await this.lockout.resetSecondFactor(userId);
    await this.audit.record({ type: AuditEventType.MfaSucceeded, userId, client, details: { method, purpose } });
    return result;
  }
}
