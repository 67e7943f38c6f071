import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../users/user.entity.js';

/** What a mailed link may do; a link for one purpose is refused by every other. */
export type EmailTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/**
 * A single-use link sent by mail. Only the SHA-256 of the token is kept: the token is 256 random
 * bits, so a database reader can neither use nor guess it, and lookup by hash compares no secret.
 */
@Entity({ name: 'email_tokens' })
@Check('email_tokens_purpose_check', `"purpose" IN ('verify_email', 'reset_password', 'change_email')`)
@Index('email_tokens_token_hash_key', ['tokenHash'], { unique: true })
@Index('email_tokens_user_id_purpose_idx', ['userId', 'purpose'])
@Index('email_tokens_expires_at_idx', ['expiresAt'])
export class EmailToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'email_tokens_pkey' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'email_tokens_user_id_fkey' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  purpose: EmailTokenPurpose;

  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  /** The account's security stamp at issue; the link dies when the stamp moves. */
  @Column({ name: 'security_stamp', type: 'integer' })
  securityStamp: number;

  /** The address the link was mailed to (for an email change: the new address). */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
