import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './test-app.js';

export interface CaughtMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/**
 * A real SMTP server on a loopback port (smtp-server), reading what arrives with mailparser.
 * It can be stopped and started again on the same port to play an outage.
 */
export class MailCatcher {
  readonly received: CaughtMail[] = [];
  private server?: SMTPServer;
  private port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            this.received.push(toCaught(mail));
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Everything delivered to `to` so far (optionally only mails whose subject matches). */
  to(to: string, subject?: RegExp): CaughtMail[] {
    return this.received.filter((mail) => mail.to === to.toLowerCase() && (!subject || subject.test(mail.subject)));
  }

  /**
   * Waits for the `count`-th mail (1-based) to `to` whose subject matches, and returns it. Mails
   * queued close together may arrive in any order, so tests pick them by subject.
   */
  async waitFor(to: string, subject: RegExp, count = 1, timeoutMs = 10_000): Promise<CaughtMail> {
    await eventually(async () => this.to(to, subject).length >= count, timeoutMs);
    return this.to(to, subject)[count - 1];
  }
}

/** The token of the link of a given kind in a mail's plain text. */
export function linkToken(mail: CaughtMail, path: 'verify-email' | 'reset-password' | 'confirm-email'): string {
  const match = new RegExp(`/${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in mail "${mail.subject}"`);
  return match[1];
}

function toCaught(mail: ParsedMail): CaughtMail {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return {
    to: (to?.value[0]?.address ?? '').toLowerCase(),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    messageId: mail.messageId ?? '',
  };
}
