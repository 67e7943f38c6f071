import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../access/auth-user.js';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { mailConfig, type MailConfig } from '../core/config/mail.config.js';
import { AppError } from '../core/http/app-error.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { normaliseEmail } from '../core/text/user-email.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AccountLifecycle } from './account-lifecycle.service.js';
import { AccountMails } from './account-mails.js';
import { AfterResponse } from './after-response.js';
import { MailedLinks } from './mailed-links.js';
import { PasswordHasher } from './password.js';

/** A new address takes effect only once confirmed from it; the old address is told at once. */
@Injectable()
export class EmailChange {
  constructor(
    private readonly users: UsersService,
    private readonly links: MailedLinks,
    private readonly mails: AccountMails,
    private readonly lifecycle: AccountLifecycle,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditService,
    private readonly later: AfterResponse,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /**
   * The password is checked here and now (a stolen session alone cannot move the account); the
   * rest happens after the answer, which is the same whether or not the new address is taken.
   */
  async request(principal: AuthUser, newEmail: string, currentPassword: string, client: ClientInfo): Promise<void> {
    this.assertEnabled();
    const user = await this.users.findByIdWithHash(principal.userId);
    if (!user || !(await this.passwords.verify(currentPassword, user.passwordHash))) {
      throw new AppError('AUTH_WRONG_PASSWORD', 'Current password is incorrect');
    }
    const target = normaliseEmail(newEmail);
    this.later.run('email change request', async () => {
      if (target === user.email) return;
      const owner = await this.users.findByEmail(target);
      if (owner) {
        await this.links.notify(this.mails.emailChangeToTaken(owner.email));
      } else {
        await this.links.send(
          { userId: user.id, purpose: 'change_email', securityStamp: user.securityStamp, email: target, ttlSeconds: this.config.linkTtlSeconds },
          (token, expiresAt) => this.mails.confirmEmailChange(target, token, expiresAt),
          [this.mails.emailChangeRequested(user.email, target)],
        );
      }
      await this.audit.record({ type: AuditEventType.EmailChangeRequested, userId: user.id, client, details: { outcome: owner ? 'address_taken' : 'sent' } });
    });
  }

  /**
   * The unique index on the address decides a race with a registration or another change: the
   * link then fails with USER_EMAIL_TAKEN and nothing changes.
   */
  async confirm(token: string, client: ClientInfo): Promise<User> {
    this.assertEnabled();
    const owner = await this.links.check(token, 'change_email', client);
    let change = { from: '', to: '' };
    await this.links.guard('change_email', client, () =>
        // The stamp moves, so every other outstanding link of the account (a reset link sent to
        // the old address) dies; sessions stay: the owner proved both addresses.
        this.lifecycle.bumpStampAndEndSessions(owner.userId, 'email_change', {
          end: 'none',
          within: async (manager, user) => {
            const link = await this.links.redeemIn(manager, token, 'change_email', user);
            await this.users.changeEmailIn(manager, user.id, link.email);
            change = { from: user.email, to: link.email };
          },
        }),
    );
    const { from, to } = change;
    const userId = owner.userId;
    await this.audit.record({ type: AuditEventType.EmailChanged, userId, client, details: { from, to } });
    return this.users.getById(userId);
  }

  private assertEnabled(): void {
    if (!this.config.flows) throw new AppError('NOT_FOUND', 'Email change is off');
  }
}
