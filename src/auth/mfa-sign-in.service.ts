import { Injectable } from '@nestjs/common';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../core/http/app-error.js';
import type { MfaTransport } from '../mfa/mfa-challenge.entity.js';
import { MfaChallenges } from '../mfa/mfa-challenges.service.js';
import { RecoveryCodes } from '../mfa/recovery-codes.service.js';
import { TotpCredentials } from '../mfa/totp-credentials.service.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { SignInFactors } from './auth.service.js';
import { MFA_METHODS, secondFactorProof, type MfaChallengeResponse, type MfaVerifyDto } from './dto/mfa.dto.js';
import { SecondFactor } from './second-factor.js';

const INVALID_TOKEN = 'Invalid, expired or already used mfaToken; sign in again';

/** A sign-in proven with the password and a one-time code (a recovery code is one too). */
const WITH_SECOND_FACTOR: SignInFactors = { amr: ['pwd', 'otp'], mfa: true };

/**
 * The second half of a sign-in on an account with MFA. The login routes hand out an mfaToken
 * instead of a credential; verify() takes it with a code and says which sign-in to finish.
 * The token is bound to the user, to the login route and transport that issued it, and to the
 * account's security stamp at the password check (a password change or disable since voids it).
 */
@Injectable()
export class MfaSignIn {
  constructor(
    private readonly totp: TotpCredentials,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly challenges: MfaChallenges,
    private readonly users: UsersService,
    private readonly secondFactor: SecondFactor,
    private readonly audit: AuditService,
  ) {}

  /** For a user whose password was just proven: the challenge to answer instead of a credential, or null without MFA. */
  async challengeFor(user: User, transport: MfaTransport, client: ClientInfo): Promise<MfaChallengeResponse | null> {
    if (!(await this.totp.isEnabled(user.id))) return null;
    const mfaToken = await this.challenges.issue(user.id, transport, user.securityStamp);
    await this.audit.record({ type: AuditEventType.MfaChallengeIssued, userId: user.id, client, details: { transport } });
    return { mfaRequired: true, mfaToken, methods: [...MFA_METHODS] };
  }

  /**
   * Checks the code for the pending sign-in and uses the token up; says how to finish it.
   * `canFinish` may refuse the transport (cookies that cannot be delivered) before any code is spent.
   */
  async verify(
    input: MfaVerifyDto,
    client: ClientInfo,
    canFinish: (transport: MfaTransport) => void = () => undefined,
  ): Promise<{ user: User; transport: MfaTransport; factors: SignInFactors }> {
    const proof = secondFactorProof(input);
    const pending = await this.challenges.find(input.mfaToken);
    if (!pending) throw new AppError('AUTH_MFA_TOKEN_INVALID', INVALID_TOKEN);
    canFinish(pending.transport);
    const user = await this.users.findById(pending.userId);
    if (!user || user.securityStamp !== pending.securityStamp) throw new AppError('AUTH_MFA_TOKEN_INVALID', INVALID_TOKEN);
    if (user.disabledAt !== null) throw new AppError('AUTH_ACCOUNT_DISABLED', 'Account is disabled');
    await this.secondFactor.attempt(
      { userId: user.id, method: proof.code !== undefined ? 'totp' : 'recovery_code', purpose: 'sign_in', wrongCode: 'AUTH_MFA_INVALID', client },
      () => (proof.code !== undefined ? this.totp.verify(user.id, proof.code) : this.recoveryCodes.consume(user.id, proof.recoveryCode)),
    );
    // Last, and in one statement: of two requests racing with one token, one sign-in happens.
    if (!(await this.challenges.consume(pending.id))) throw new AppError('AUTH_MFA_TOKEN_INVALID', INVALID_TOKEN);
    return { user, transport: pending.transport, factors: WITH_SECOND_FACTOR };
  }
}
