import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AuditEventType } from './audit-event-type.enum.js';

/** One authentication event. No foreign key: the trail outlives the users it mentions. */
@Index('audit_events_user_idx', ['userId', 'createdAt'])
@Index('audit_events_type_idx', ['type', 'createdAt'])
@Index('audit_events_created_at_idx', ['createdAt'])
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'audit_events_pkey' })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  type: AuditEventType;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  /** Who acted, when it is not the user themself (an admin). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent: string | null;

  /** Small structured facts ({ reason }, { role }); never a password or a token. */
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
