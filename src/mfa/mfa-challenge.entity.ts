import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** Which login route a challenge completes: token pair in the body, hybrid cookies, or a sid session. */
export type MfaTransport = 'token' | 'cookie' | 'session';

/** A sign-in waiting for its second factor; the token itself is never stored, only its hash. */
@Entity({ name: 'mfa_challenges' })
@Check(`"transport" IN ('token', 'cookie', 'session')`)
@Index('mfa_challenges_token_hash_idx', ['tokenHash'], { unique: true })
@Index('mfa_challenges_user_id_idx', ['userId'])
@Index('mfa_challenges_expires_at_idx', ['expiresAt'])
export class MfaChallenge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  /** Named, not imported: mfa/ does not depend on users/ (the FK is what matters). */
  user?: object;

  @Column({ type: 'varchar', length: 16 })
  transport: MfaTransport;

  /** The account's security stamp when the password was checked; any change voids the challenge. */
  @Column({ name: 'security_stamp', type: 'integer' })
  securityStamp: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
