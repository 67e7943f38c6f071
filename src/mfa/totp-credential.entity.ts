import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/** A user's TOTP authenticator: pending until `enabledAt` is set by a first valid code. */
@Entity({ name: 'mfa_totp' })
export class TotpCredential {
  /** The table, not the User class: mfa/ sits beside users/ and imports nothing from it. */
  @ForeignKey('users', { name: 'mfa_totp_user_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'mfa_totp_pkey' })
  userId: string;

  /** AES-256-GCM sealed base32 secret; never returned after setup. */
  @Column({ name: 'secret_sealed', type: 'varchar', length: 255, select: false })
  secretSealed?: string;

  @Column({ name: 'enabled_at', type: 'timestamptz', nullable: true })
  enabledAt: Date | null;

  /** RFC 6238 time step of the last accepted code (bigint: read back as a string). */
  @Column({ name: 'last_used_step', type: 'bigint', nullable: true })
  lastUsedStep: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
