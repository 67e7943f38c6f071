import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { mailConfig, type MailConfig } from '../core/config/mail.config.js';

/** One message as the worker hands it to the transport. */
export interface Envelope {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/**
 * Hands messages to SMTP (MAIL_URL) or, in development without one, writes each as an .eml file
 * under MAIL_OUTBOX_DIR and logs the link it carries, so `npm start` needs no mail server.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger(MailSender.name);
  private readonly transport: Transporter;

  constructor(@Inject(mailConfig.KEY) private readonly config: MailConfig) {
    this.transport = config.url
      ? nodemailer.createTransport({
          url: config.url,
          connectionTimeout: config.smtpTimeoutMs,
          greetingTimeout: config.smtpTimeoutMs,
          socketTimeout: config.smtpTimeoutMs,
        })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  get writesFiles(): boolean {
    return !this.config.url;
  }

  async send(envelope: Envelope): Promise<void> {
    const info = await this.transport.sendMail({
      from: this.config.from,
      to: envelope.to,
      subject: envelope.subject,
      text: envelope.text,
      ...(envelope.html === null ? {} : { html: envelope.html }),
      // Stable per outbox row: a message re-sent after a crash mid-delivery is recognisably the same.
      messageId: `<${envelope.id}@gatehouse.outbox>`,
    });
    if (this.writesFiles) await this.writeFile(envelope, info.message as Buffer);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }

  private async writeFile(envelope: Envelope, raw: Buffer): Promise<void> {
    await mkdir(this.config.outboxDir, { recursive: true });
    const file = resolve(join(this.config.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${envelope.id}.eml`));
    await writeFile(file, raw, { mode: 0o600 });
    // Development only (production refuses to start without MAIL_URL): the link is the point of the mail.
    const link = /https?:\/\/\S+token=\S+/.exec(envelope.text)?.[0];
    this.logger.log(`Mail to ${envelope.to} ("${envelope.subject}") written to ${file}${link ? `; link: ${link}` : ''}`);
  }
}
