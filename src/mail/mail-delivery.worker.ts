import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { mailConfig, type MailConfig } from '../core/config/mail.config.js';
import { MailSender } from './mail-sender.js';

interface ClaimedRow {
  id: string;
  recipient: string;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  attempts: number;
}

/**
 * Delivers what the outbox holds, on every instance at once without sending anything twice.
 *
 * A message is claimed by one statement that pushes its next_attempt_at a lease into the future
 * (`FOR UPDATE SKIP LOCKED`, so instances polling together take different rows and never wait on
 * each other); once claimed, no other instance sees it as due until the lease ends, which only
 * matters if this one died mid-send. Delivered: the bodies (live links) are cleared in the same
 * statement that marks it sent. Failed: retried with exponential backoff until the link inside
 * would have expired. The HTTP request that queued the mail never waits for any of this.
 */
@Injectable()
export class MailDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MailDeliveryWorker.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private closing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: MailSender,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker) return;
    this.timer = setInterval(() => void this.run(), this.config.pollIntervalMs);
    this.timer.unref();
    void this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks at the outbox now (after a commit that queued mail); never throws, never waits for SMTP. */
  wake(): void {
    if (this.config.worker) void this.run();
  }

  /** One pass over everything due; overlapping calls fold into one more pass. Resolves when idle. */
  run(): Promise<void> {
    if (this.closing) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.expire();
          while (!this.closing && (await this.deliverBatch()) === this.config.batchSize);
        } while (this.again && !this.closing);
      } catch (error) {
        this.logger.warn(`Outbox pass failed: ${error instanceof Error ? error.message : 'non-Error thrown'}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Claims up to one batch and sends it; answers how many were claimed. */
  private async deliverBatch(): Promise<number> {
    const [rows]: [ClaimedRow[], number] = await this.dataSource.query(
      `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $1::float8 / 1000), attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM mail_outbox
           WHERE sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= now() AND expires_at > now()
           ORDER BY next_attempt_at
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, subject, text_body, html_body, attempts`,
      [this.config.leaseMs, this.config.batchSize],
    );
    await Promise.all(rows.map((row) => this.deliver(row)));
    return rows.length;
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    try {
      await this.sender.send({ id: row.id, to: row.recipient, subject: row.subject, text: row.text_body ?? '', html: row.html_body });
    } catch (error) {
      await this.failed(row, error);
      return;
    }
    await this.dataSource.query(
      `UPDATE mail_outbox SET sent_at = now(), text_body = NULL, html_body = NULL, last_error = NULL WHERE id = $1`,
      [row.id],
    );
  }

  private async failed(row: ClaimedRow, error: unknown): Promise<void> {
    const reason = describe(error);
    const smtp = error as { responseCode?: number; command?: string };
    // The server refused this recipient for good (550 no such mailbox): retrying cannot help.
    // Any other failure (server down, 4xx, our own credentials refused) is retried.
    if (smtp.command === 'RCPT TO' && (smtp.responseCode ?? 0) >= 500) {
      this.logger.warn(`Mail ${row.id} given up: ${reason}`);
      await this.dataSource.query(
        `UPDATE mail_outbox SET abandoned_at = now(), text_body = NULL, html_body = NULL, last_error = $2 WHERE id = $1`,
        [row.id, reason],
      );
      return;
    }
    const delayMs = Math.min(this.config.retryBaseMs * 2 ** Math.min(row.attempts - 1, 30), this.config.retryMaxMs);
    this.logger.warn(`Mail ${row.id} not delivered (attempt ${row.attempts}), retrying in ${delayMs} ms: ${reason}`);
    await this.dataSource.query(
      `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), last_error = $3 WHERE id = $1`,
      [row.id, delayMs, reason],
    );
  }

  /** A message whose link has expired is not worth sending; its body goes, the row stays for the record. */
  private async expire(): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET abandoned_at = now(), text_body = NULL, html_body = NULL, last_error = coalesce(last_error, 'expired before delivery')
        WHERE sent_at IS NULL AND abandoned_at IS NULL AND expires_at <= now()`,
    );
  }

  /** Delivered and abandoned rows (bodies long cleared) are kept 30 days for support questions. */
  @Interval('mail-outbox-retention', 60 * 60_000)
  async purge(): Promise<void> {
    await this.dataSource
      .query(`DELETE FROM mail_outbox WHERE (sent_at IS NOT NULL OR abandoned_at IS NOT NULL) AND created_at < now() - interval '30 days'`)
      .catch((error: unknown) => this.logger.warn(`Outbox purge failed: ${describe(error)}`));
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : 'non-Error thrown').slice(0, 500);
}
