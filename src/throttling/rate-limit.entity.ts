import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A fixed-window request counter shared by every instance. RateLimitStore counts in one SQL
 * upsert; the entity describes the table for migration:generate and the schema test.
 */
@Entity({ name: 'rate_limits' })
export class RateLimit {
  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'rate_limits_pkey' })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  @Index('rate_limits_window_ends_idx')
  @Column({ name: 'window_ends', type: 'timestamptz' })
  windowEnds: Date;
}
