import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '../access/role.enum.js';

// The unique index is on lower(email), an expression TypeORM cannot model: `synchronize: false`
// names it so that migration:generate neither drops it nor tries to create it.
@Index('users_email_lower_key', { synchronize: false })
@Index('users_created_at_idx', ['createdAt', 'id'])
@Check('users_role_check', `"role" IN ('user', 'admin')`)
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'users_pkey' })
  id: string;

  /** Stored normalised (NFKC, trimmed, lower-cased); a unique index on lower(email) backs it up. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  /** Never selected unless asked for by name, so it cannot ride along into a response. */
  @Column({ name: 'password_hash', type: 'varchar', length: 100, select: false })
  passwordHash?: string;

  @Column({ type: 'varchar', length: 16, default: Role.User })
  role: Role;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  /** Access tokens issued with an earlier role are refused once this is set (see RevocationList). */
  @Column({ name: 'role_changed_at', type: 'timestamptz', nullable: true, select: false })
  roleChangedAt?: Date | null;

  /** Bumped with every change to who may act as this account (see the add-security-stamp migration). */
  @Column({ name: 'security_stamp', type: 'integer', default: 0 })
  securityStamp: number;

  /** Set when the owner followed a verification link (or confirmed an email change). */
  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
