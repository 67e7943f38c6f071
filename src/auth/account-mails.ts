import { Inject, Injectable } from '@nestjs/common';
import { mailConfig, type MailConfig } from '../core/config/mail.config.js';
import type { OutgoingMail } from '../mail/mail-outbox.js';

/** Notices carry no link worth anything; a week is plenty for an SMTP outage. */
const NOTICE_LIFETIME_MS = 7 * 86_400_000;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** "ada@example.com" → "a**@example.com": enough for the owner to recognise, not a full address for a snoop. */
function masked(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}${'*'.repeat(Math.max(2, Math.min(at - 1, 6)))}${email.slice(at)}`;
}

/**
 * The text of every account mail, plain text and HTML. Links point at the front end
 * (`APP_URL`), which posts the token back to the API.
 */
@Injectable()
export class AccountMails {
  constructor(@Inject(mailConfig.KEY) private readonly config: MailConfig) {}

  verifyEmail(to: string, token: string, expiresAt: Date): OutgoingMail {
    return this.withLink(to, 'Confirm your email address', 'Confirm that this address is yours by opening the link below.', this.link('verify-email', token), 'Confirm email', expiresAt);
  }

  resetPassword(to: string, token: string, expiresAt: Date): OutgoingMail {
    return this.withLink(
      to,
      'Reset your password',
      'Someone (hopefully you) asked to reset the password of your account. The link works once; using it signs you out everywhere. If it was not you, ignore this mail.',
      this.link('reset-password', token),
      'Choose a new password',
      expiresAt,
    );
  }

  confirmEmailChange(to: string, token: string, expiresAt: Date): OutgoingMail {
    return this.withLink(to, 'Confirm your new email address', 'Open the link below to make this the address of your account.', this.link('confirm-email', token), 'Confirm new address', expiresAt);
  }

  /** To an address that already has an account, instead of telling the registrant it is taken. */
  alreadyRegistered(to: string): OutgoingMail {
    return this.notice(
      to,
      'Someone tried to sign up with your address',
      `Someone tried to create an account with this address, which already has one. If it was you, sign in, or use "forgot password" to choose a new one. Otherwise you can ignore this mail.`,
    );
  }

  /** To the current address when a change away from it is requested. */
  emailChangeRequested(to: string, newEmail: string): OutgoingMail {
    return this.notice(
      to,
      'Your account email is being changed',
      `A change of your account's address to ${masked(newEmail)} was requested. It takes effect once confirmed from the new address. If this was not you, change your password now.`,
    );
  }

  /** To an address another account asked to move to; it already belongs to an account. */
  emailChangeToTaken(to: string): OutgoingMail {
    return this.notice(
      to,
      'Someone tried to use your address',
      'Someone asked to change another account to this address, which already belongs to your account. Nothing was changed.',
    );
  }

  private link(path: string, token: string): string {
    return `${this.config.appUrl}/${path}?token=${encodeURIComponent(token)}`;
  }

  private withLink(to: string, subject: string, intro: string, link: string, action: string, expiresAt: Date): OutgoingMail {
    const minutes = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 60_000));
    const validity = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`;
    return {
      to,
      subject,
      text: `${intro}\n\n${link}\n\nThe link is valid for ${validity}.\n`,
      html:
        `<p>${escapeHtml(intro)}</p>` +
        `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>` +
        `<p>The link is valid for ${validity}. If the button does not work, copy this address into your browser:<br>${escapeHtml(link)}</p>`,
      expiresAt,
    };
  }

  private notice(to: string, subject: string, text: string): OutgoingMail {
    return { to, subject, text: `${text}\n`, html: `<p>${escapeHtml(text)}</p>`, expiresAt: new Date(Date.now() + NOTICE_LIFETIME_MS) };
  }
}
