import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

/** A user's TOTP authenticator: pending until `enabledAt` is set by a first valid code. */
@Entity({ name: 'mfa_totp' })
export class TotpCredential {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @OneToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  /** Named, not imported: mfa/ does not depend on users/ (the FK is what matters). */
  user?: object;

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
