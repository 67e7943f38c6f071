import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Which login route a challenge completes: token pair in the body, hybrid cookies, or a sid session. */
export type MfaTransport = 'token' | 'cookie' | 'session';

/** A sign-in waiting for its second factor; the token itself is never stored, only its hash. */
@Entity({ name: 'mfa_challenges' })
@Check('mfa_challenges_transport_check', `"transport" IN ('token', 'cookie', 'session')`)
export class MfaChallenge {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'mfa_challenges_pkey' })
  id: string;

  @Index('mfa_challenges_token_hash_idx', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @ForeignKey('users', { name: 'mfa_challenges_user_id_fkey', onDelete: 'CASCADE' })
  @Index('mfa_challenges_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  transport: MfaTransport;

  /** The account's security stamp when the password was checked; any change voids the challenge. */
  @Column({ name: 'security_stamp', type: 'integer' })
  securityStamp: number;

  @Index('mfa_challenges_expires_at_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
