import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Failed logins per email, keyed by an HMAC of the normalised email (the table does not list who
 * was attacked). LoginLockout counts in one SQL upsert; the entity describes the table for
 * migration:generate and the schema test.
 */
@Entity({ name: 'login_failures' })
export class LoginFailure {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'login_failures_pkey' })
  key: string;

  @Column({ type: 'integer' })
  failures: number;

  @Index('login_failures_window_ends_idx')
  @Column({ name: 'window_ends', type: 'timestamptz' })
  windowEnds: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;
}
