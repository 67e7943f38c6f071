import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SessionKind = 'token' | 'cookie';

/** A signed-in device. Token and cookie sessions share this one model. */
@Check('sessions_kind_check', `"kind" IN ('token', 'cookie')`)
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'sessions_pkey' })
  id: string;

  /** The table, not the User class: sessions/ sits below users/ and imports nothing from it. */
  @ForeignKey('users', { name: 'sessions_user_id_fkey', onDelete: 'CASCADE' })
  @Index('sessions_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: SessionKind;

  /** How the sign-in was proven: RFC 8176 amr values, space-separated ("pwd", "pwd otp"). */
  @Column({ type: 'varchar', length: 32, default: 'pwd' })
  amr: string;

  @Column({ name: 'refresh_counter', type: 'integer', default: 0 })
  refreshCounter: number;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' })
  lastUsedAt: Date;

  @Index('sessions_expires_at_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Index('sessions_revoked_at_idx', { where: '"revoked_at" IS NOT NULL' })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: string | null;

  /** Payload of a cookie session when PostgreSQL is the session store; never selected by default. */
  @Column({ type: 'jsonb', nullable: true, select: false })
  data?: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent: string | null;
}
