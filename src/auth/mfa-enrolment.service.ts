import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import type { AuthUser } from '../access/auth-user.js';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../core/http/app-error.js';
import { RecoveryCodes } from '../mfa/recovery-codes.service.js';
import { TotpCredentials } from '../mfa/totp-credentials.service.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { UsersService } from '../users/users.service.js';
import { AccountLifecycle } from './account-lifecycle.service.js';
import type { MfaSetupResponse, SecondFactorProof } from './dto/mfa.dto.js';
import { PasswordHasher } from './password.js';
import { LoginLockout } from '../throttling/login-lockout.service.js';
import { SecondFactor, WrongSecondFactor } from './second-factor.js';

/**
 * Turning MFA on and off for the signed-in user. Enabling and disabling change who can act as the
 * account, so each commits with a new security stamp and the end of every other session: a
 * session signed in with the password alone (perhaps by whoever stole it) does not survive the
 * account gaining a second factor, and the principal's `mfa` flag can never be stale on a session
 * that outlived the change. The caller's own session stays, with the amr it was signed in with.
 */
@Injectable()
export class MfaEnrolment {
  constructor(
    private readonly totp: TotpCredentials,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly secondFactor: SecondFactor,
    private readonly lifecycle: AccountLifecycle,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockout,
  ) {}

  /** A new, not yet active secret, after the password is entered again. */
  async setup(principal: AuthUser, currentPassword: string, client: ClientInfo): Promise<MfaSetupResponse> {
    const user = await this.checkPassword(principal, currentPassword, client);
    const { secret, otpauthUrl } = await this.totp.beginSetup(user.id, user.email);
    const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    await this.audit.record({ type: AuditEventType.MfaSetupStarted, userId: user.id, client });
    return { secret, otpauthUrl, qrSvg };
  }

  /** Activates the pending secret with a first code; returns the recovery codes, shown once. */
  async enable(principal: AuthUser, code: string, client: ClientInfo): Promise<string[]> {
    const state = await this.totp.state(principal.userId);
    if (state === 'enabled') throw new AppError('MFA_ALREADY_ENABLED', 'Two-factor authentication is already enabled');
    if (state === 'none') throw new AppError('MFA_SETUP_REQUIRED', 'Start with POST /auth/mfa/totp/setup');
    const recoveryCodes = await this.secondFactor.attempt(
      { userId: principal.userId, method: 'totp', purpose: 'enable', wrongCode: 'AUTH_MFA_WRONG_CODE', client },
      async () => {
        let codes: string[] = [];
        await this.lifecycle.bumpStampAndEndSessions(principal.userId, 'mfa_change', {
          keepSessionId: principal.sessionId,
          within: async (manager) => {
            if (!(await this.totp.enableIn(manager, principal.userId, code))) throw new WrongSecondFactor();
            codes = await this.recoveryCodes.replaceIn(manager, principal.userId);
          },
        });
        return codes;
      },
    );
    await this.audit.record({ type: AuditEventType.MfaEnabled, userId: principal.userId, client, details: { sessionId: principal.sessionId } });
    return recoveryCodes;
  }

  /** New recovery codes for a current code; the old ones stop working. */
  async regenerateRecoveryCodes(principal: AuthUser, code: string, client: ClientInfo): Promise<string[]> {
    await this.requireEnabled(principal.userId);
    const recoveryCodes = await this.secondFactor.attempt(
      { userId: principal.userId, method: 'totp', purpose: 'recovery_codes', wrongCode: 'AUTH_MFA_WRONG_CODE', client },
      async () => (await this.totp.verify(principal.userId, code)) && this.recoveryCodes.replace(principal.userId),
    );
    await this.audit.record({ type: AuditEventType.MfaRecoveryCodesRegenerated, userId: principal.userId, client });
    return recoveryCodes;
  }

  /**
   * Needs the password and a current code (or a recovery code, for a lost device); ends every
   * other session of the account.
   */
  async disable(principal: AuthUser, currentPassword: string, proof: SecondFactorProof, client: ClientInfo): Promise<void> {
    await this.checkPassword(principal, currentPassword, client);
    await this.requireEnabled(principal.userId);
    const method = proof.code !== undefined ? 'totp' : 'recovery_code';
    await this.secondFactor.attempt(
      { userId: principal.userId, method, purpose: 'disable', wrongCode: 'AUTH_MFA_WRONG_CODE', client },
      async () => {
        await this.lifecycle.bumpStampAndEndSessions(principal.userId, 'mfa_change', {
          keepSessionId: principal.sessionId,
          within: async (manager) => {
            const accepted = proof.code !== undefined
              ? await this.totp.verifyIn(manager, principal.userId, proof.code)
              : await this.recoveryCodes.consumeIn(manager, principal.userId, proof.recoveryCode);
            if (!accepted) throw new WrongSecondFactor();
            await this.totp.removeIn(manager, principal.userId);
            await this.recoveryCodes.removeIn(manager, principal.userId);
          },
        });
        return true;
      },
    );
    await this.audit.record({ type: AuditEventType.MfaDisabled, userId: principal.userId, client, details: { sessionId: principal.sessionId } });
  }

  private async requireEnabled(userId: string): Promise<void> {
    if (!(await this.totp.isEnabled(userId))) throw new AppError('MFA_NOT_ENABLED', 'Two-factor authentication is not enabled');
  }

  /**
   * As POST /users/me/password does: a wrong current password is a guess, counted in the email's
   * lockout (a stolen session must not become a password oracle), and answered the same way.
   */
  private async checkPassword(principal: AuthUser, password: string, client: ClientInfo): Promise<{ id: string; email: string }> {
    const user = await this.users.findByIdWithHash(principal.userId);
    if (!user) throw new AppError('AUTH_SESSION_ENDED', 'Session has ended');
    const attempt = await this.lockout.beginAttempt(user.email);
    if (!(await this.passwords.verify(password, user.passwordHash))) {
      await this.audit.record({ type: AuditEventType.MfaFailed, userId: user.id, client, details: { method: 'password', reason: 'wrong_password' } });
      if (attempt.locksOnFailure) await this.audit.record({ type: AuditEventType.Lockout, userId: user.id, client });
      throw new AppError('AUTH_WRONG_PASSWORD', 'Current password is incorrect');
    }
    await this.lockout.reset(user.email);
    return user;
  }
}
