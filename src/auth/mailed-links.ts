import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { AppError } from '../core/http/app-error.js';
import { MailOutbox, type OutgoingMail } from '../mail/mail-outbox.js';

export interface LinkOwner {
  userId: string;
  email: string;
  name: string | null;
}
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { EmailTokenPurpose } from './email-tokens/email-token.entity.js';
import { EmailTokenStore, type RedeemedToken, type TokenGrant } from './email-tokens/email-token.store.js';

/**
 * Issues a link and queues the mail that carries it in one transaction (a link is never issued
 * without its mail, nor mailed without being issued), and redeems links with every check a link
 * must pass: right purpose, unused, unexpired, and the account unchanged since it was issued.
 */
@Injectable()
export class MailedLinks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: EmailTokenStore,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  async send(grant: TokenGrant, compose: (token: string, expiresAt: Date) => OutgoingMail, alsoQueue: OutgoingMail[] = []): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Locked so that two links issued at once for one account cannot both stay valid, and so
      // that a link is never issued against a stamp that has already moved on.
      const user = await this.users.lockIn(manager, grant.userId);
      if (!user || user.securityStamp !== grant.securityStamp) return;
      const { token, expiresAt } = await this.tokens.issue(manager, grant);
      await this.outbox.queue(manager, compose(token, expiresAt));
      for (const mail of alsoQueue) await this.outbox.queue(manager, mail);
    });
    this.outbox.wake();
  }

  async notify(mail: OutgoingMail): Promise<void> {
    await this.dataSource.transaction((manager) => this.outbox.queue(manager, mail));
    this.outbox.wake();
  }

  /**
   * Without spending it: whether a link could be redeemed now, so a bad one is refused before a
   * password is hashed or a row locked. Answers whose account it is (the password policy wants
   * the address and name).
   */
  async check(token: string, purpose: EmailTokenPurpose, client: ClientInfo): Promise<LinkOwner> {
    const link = await this.tokens.peek(token, purpose);
    const user = link ? await this.users.findById(link.userId) : null;
    if (!link || !user || user.securityStamp !== link.securityStamp) return this.reject('EMAIL_TOKEN_INVALID', purpose, client);
    if (link.expired) return this.reject('EMAIL_TOKEN_EXPIRED', purpose, client);
    return { userId: user.id, email: user.email, name: user.name };
  }

  /**
   * Spends the link inside the caller's transaction, in which `user` is the account's row, locked.
   * Throws (rolling everything back) unless the link belongs to that account and its security
   * stamp and address are still those the link was issued for: a password change, an email change
   * or any other account change since has killed it.
   */
  async redeemIn(manager: EntityManager, token: string, purpose: EmailTokenPurpose, user: User): Promise<RedeemedToken> {
    const link = await this.tokens.redeem(manager, token, purpose);
    if (!link || link.userId !== user.id) throw new AppError('EMAIL_TOKEN_INVALID', 'This link is invalid or has already been used');
    if (link.expired) throw new AppError('EMAIL_TOKEN_EXPIRED', 'This link has expired; ask for a new one');
    const addressStillValid = purpose === 'change_email' || user.email === link.email;
    if (user.securityStamp !== link.securityStamp || !addressStillValid) {
      throw new AppError('EMAIL_TOKEN_INVALID', 'This link is no longer valid: the account has changed since it was sent');
    }
    return link;
  }

  /** Runs a redemption; a refused link is audited (with its purpose, never the token) and rethrown. */
  async guard<T>(purpose: EmailTokenPurpose, client: ClientInfo, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError && (error.code === 'EMAIL_TOKEN_INVALID' || error.code === 'EMAIL_TOKEN_EXPIRED')) {
        await this.audit.record({ type: AuditEventType.EmailTokenRejected, client, details: { purpose, reason: error.code } });
      }
      throw error;
    }
  }

  private async reject(code: 'EMAIL_TOKEN_INVALID' | 'EMAIL_TOKEN_EXPIRED', purpose: EmailTokenPurpose, client: ClientInfo): Promise<never> {
    await this.audit.record({ type: AuditEventType.EmailTokenRejected, client, details: { purpose, reason: code } });
    throw code === 'EMAIL_TOKEN_EXPIRED'
      ? new AppError(code, 'This link has expired; ask for a new one')
      : new AppError(code, 'This link is invalid or has already been used');
  }
}
