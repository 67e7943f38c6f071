import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The `signing_keys` table as the migrations create it. KeyRing reads and writes it in SQL (a
 * rotation is one transaction of two statements); the entity is what keeps migration:generate and
 * the schema test honest about it.
 */
@Entity({ name: 'signing_keys' })
// At most one current key per algorithm: instances starting together cannot both create one.
@Index('signing_keys_current_key', ['algorithm'], { unique: true, where: '"retired_at" IS NULL' })
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'signing_keys_pkey' })
  kid: string;

  @Column({ type: 'varchar', length: 16 })
  algorithm: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  /** AES-256-GCM under a key derived from JWT_SECRET: a leaked table cannot sign tokens. */
  @Column({ name: 'private_key_encrypted', type: 'text' })
  privateKeyEncrypted: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
