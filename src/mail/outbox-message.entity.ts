import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A mail waiting for (or past) delivery. The bodies carry live links, so they are cleared the
 * moment the message is delivered or given up: the check constraint makes a kept body impossible.
 */
@Entity({ name: 'mail_outbox' })
@Check('mail_outbox_body_cleared_check', `("sent_at" IS NULL AND "abandoned_at" IS NULL) OR ("text_body" IS NULL AND "html_body" IS NULL)`)
@Index('mail_outbox_pending_idx', ['nextAttemptAt'], { where: `"sent_at" IS NULL AND "abandoned_at" IS NULL` })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'mail_outbox_pkey' })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ name: 'text_body', type: 'text', nullable: true })
  textBody: string | null;

  @Column({ name: 'html_body', type: 'text', nullable: true })
  htmlBody: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Also the lease: a claimed message is pushed into the future while it is being sent. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** After this the link inside is dead anyway: the message is given up, not sent late. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'abandoned_at', type: 'timestamptz', nullable: true })
  abandonedAt: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
