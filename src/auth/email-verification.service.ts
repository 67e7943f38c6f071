import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { mailConfig, type MailConfig } from '../core/config/mail.config.js';
import { AppError } from '../core/http/app-error.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { PerEmailLimit } from '../throttling/per-email-limit.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AccountMails } from './account-mails.js';
import { AfterResponse } from './after-response.js';
import { AuthService } from './auth.service.js';
import type { RegisterDto } from './dto/register.dto.js';
import { MailedLinks } from './mailed-links.js';

export const REGISTRATION_ACCEPTED = 'If this address can be registered, a mail is on its way: follow its link to finish';

/** EMAIL_VERIFICATION: off (no mail), optional (mailed, not enforced), required (no sign-in before it). */
@Injectable()
export class EmailVerification {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly links: MailedLinks,
    private readonly mails: AccountMails,
    private readonly limit: PerEmailLimit,
    private readonly audit: AuditService,
    private readonly later: AfterResponse,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  get required(): boolean {
    return this.config.verification === 'required';
  }

  /** After a registration that answered with the user (off/optional). */
  async registered(user: User, client: ClientInfo): Promise<void> {
    if (this.config.verification === 'off') return;
    await this.sendLink(user, client);
  }

  /**
   * Registration with EMAIL_VERIFICATION=required: the same answer whether the address was free or
   * taken (a 409 would tell anyone which addresses have accounts). The address's owner learns of
   * the attempt by mail instead; an unverified owner simply gets a fresh link.
   */
  async registerQuietly(input: RegisterDto, client: ClientInfo): Promise<{ message: string }> {
    try {
      const user = await this.auth.register(input, client);
      // After the answer, like the taken-address path below: both answer after the same work.
      this.later.run('verification mail', () => this.sendLink(user, client));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'USER_EMAIL_TAKEN')) throw error;
      const existing = await this.users.findByEmail(input.email);
      if (existing) {
        await this.audit.record({ type: AuditEventType.RegisteredAgain, userId: existing.id, client });
        this.later.run('registration notice', async () => {
          if (!(await this.limit.allow('register', existing.email, this.config.perEmailLimit, this.config.perEmailWindowMs))) return;
          if (existing.emailVerifiedAt === null) await this.sendLink(existing, client);
          else await this.links.notify(this.mails.alreadyRegistered(existing.email));
        });
      }
    }
    return { message: REGISTRATION_ACCEPTED };
  }

  /** Always accepted; a link goes out only to an existing, unverified, unlimited address. */
  resend(email: string, client: ClientInfo): void {
    this.assertEnabled();
    this.later.run('verification resend', async () => {
      if (!(await this.limit.allow('verify', email, this.config.perEmailLimit, this.config.perEmailWindowMs))) return;
      const user = await this.users.findByEmail(email);
      if (!user || user.emailVerifiedAt !== null || user.disabledAt !== null) return;
      await this.sendLink(user, client);
    });
  }

  async verify(token: string, client: ClientInfo): Promise<User> {
    this.assertEnabled();
    const owner = await this.links.check(token, 'verify_email', client);
    const user = await this.links.guard('verify_email', client, () =>
      this.dataSource.transaction(async (manager) => {
        const user = await this.users.lockIn(manager, owner.userId);
        if (!user) throw new AppError('EMAIL_TOKEN_INVALID', 'This link is invalid or has already been used');
        await this.links.redeemIn(manager, token, 'verify_email', user);
        await this.users.markEmailVerifiedIn(manager, user.id);
        return user;
      }),
    );
    await this.audit.record({ type: AuditEventType.EmailVerified, userId: user.id, client });
    return this.users.getById(user.id);
  }

  private async sendLink(user: User, client: ClientInfo): Promise<void> {
    await this.links.send(
      { userId: user.id, purpose: 'verify_email', securityStamp: user.securityStamp, email: user.email, ttlSeconds: this.config.linkTtlSeconds },
      (token, expiresAt) => this.mails.verifyEmail(user.email, token, expiresAt),
    );
    await this.audit.record({ type: AuditEventType.EmailVerificationSent, userId: user.id, client });
  }

  private assertEnabled(): void {
    if (this.config.verification === 'off') throw new AppError('NOT_FOUND', 'Email verification is off');
  }
}
