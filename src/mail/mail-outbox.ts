import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MailDeliveryWorker } from './mail-delivery.worker.js';
import { OutboxMessage } from './outbox-message.entity.js';

/** A mail to queue: plain text always, HTML optionally; dropped unsent after `expiresAt`. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  expiresAt: Date;
}

/**
 * The only way to send mail. `queue` writes into the caller's transaction, so a mail exists if
 * and only if the change it announces (the token it carries) was committed; `wake` then asks the
 * worker to deliver without waiting for it.
 */
@Injectable()
export class MailOutbox {
  constructor(private readonly worker: MailDeliveryWorker) {}

  async queue(manager: EntityManager, mail: OutgoingMail): Promise<void> {
    await manager.insert(OutboxMessage, {
      recipient: mail.to,
      subject: mail.subject.slice(0, 200),
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      expiresAt: mail.expiresAt,
    });
  }

  /** Call after the transaction that queued mail has committed. */
  wake(): void {
    this.worker.wake();
  }
}
