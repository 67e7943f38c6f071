import { Inject, Injectable } from '@nestjs/common';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { mailConfig, type MailConfig } from '../core/config/mail.config.js';
import { AppError } from '../core/http/app-error.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { PerEmailLimit } from '../throttling/per-email-limit.js';
import { UsersService } from '../users/users.service.js';
import { AccountLifecycle } from './account-lifecycle.service.js';
import { AccountMails } from './account-mails.js';
import { AfterResponse } from './after-response.js';
import { MailedLinks } from './mailed-links.js';
import { PasswordHasher } from './password.js';
import { passwordPolicyViolation } from './password-policy.js';

/** Forgotten password: a single-use link by mail, then a new password that signs out every device. */
@Injectable()
export class AccountRecovery {
  constructor(
    private readonly users: UsersService,
    private readonly links: MailedLinks,
    private readonly mails: AccountMails,
    private readonly lifecycle: AccountLifecycle,
    private readonly passwords: PasswordHasher,
    private readonly limit: PerEmailLimit,
    private readonly audit: AuditService,
    private readonly later: AfterResponse,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /**
   * Answered before anything is looked up, so known and unknown addresses cost the caller the same
   * time (see AfterResponse). A disabled account gets no link: a reset would not let it in anyway.
   */
  forgot(email: string, client: ClientInfo): void {
    this.assertEnabled();
    this.later.run('password reset request', async () => {
      const allowed = await this.limit.allow('reset', email, this.config.perEmailLimit, this.config.perEmailWindowMs);
      const user = await this.users.findByEmail(email);
      const outcome = !allowed ? 'rate_limited' : !user ? 'unknown_email' : user.disabledAt !== null ? 'disabled' : 'sent';
      if (outcome === 'sent' && user) {
        await this.links.send(
          { userId: user.id, purpose: 'reset_password', securityStamp: user.securityStamp, email: user.email, ttlSeconds: this.config.passwordResetTtlSeconds },
          (token, expiresAt) => this.mails.resetPassword(user.email, token, expiresAt),
        );
      }
      await this.audit.record({ type: AuditEventType.PasswordResetRequested, userId: user?.id, client, details: { outcome } });
    });
  }

  /**
   * The link is checked before the (deliberately slow) hash is computed, then spent inside
   * AccountLifecycle's transaction, which stores the hash, bumps the security stamp and ends every
   * session of the account; the revocation reaches every instance on commit.
   */
  async reset(token: string, newPassword: string, client: ClientInfo): Promise<void> {
    this.assertEnabled();
    const owner = await this.links.check(token, 'reset_password', client);
    // The DTO applied the policy already; here it also knows the account's email and name.
    const violation = passwordPolicyViolation(newPassword, { email: owner.email, name: owner.name ?? undefined });
    if (violation) throw new AppError('VALIDATION_FAILED', [violation]);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.links.guard('reset_password', client, () =>
      this.lifecycle.bumpStampAndEndSessions(owner.userId, 'password_reset', {
        change: { passwordHash },
        within: async (manager, user) => {
          await this.links.redeemIn(manager, token, 'reset_password', user);
          // The link arrived at the address: that proves it as well as a verification link would.
          await this.users.markEmailVerifiedIn(manager, user.id);
        },
      }),
    );
    await this.audit.record({ type: AuditEventType.PasswordReset, userId: owner.userId, client });
  }

  private assertEnabled(): void {
    if (!this.config.flows) throw new AppError('NOT_FOUND', 'Password reset by email is off');
  }
}
