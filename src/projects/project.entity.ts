import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A user's own record. Every constraint is named here, as in its migration, so that
 * `npm run migration:generate` finds nothing to change once the migration has run.
 */
@Entity({ name: 'projects' })
@Index('projects_owner_id_created_at_idx', ['ownerId', 'createdAt'])
@Check('projects_name_check', `"name" <> ''`)
export class Project {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'projects_pkey' })
  id: string;

  /** The users table by name: a feature module sees users only through AuthUser.userId. */
  @ForeignKey('users', { name: 'projects_owner_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
