import { join } from 'node:path';
import { configNamespace, type ConfigOf } from './config-namespace.js';
import type { DataSourceOptions } from 'typeorm';
import { CreateUsers1764000000000 } from '../../migrations/1764000000000-create-users.js';
import { AddCookieSessionData1764150000000 } from '../../migrations/1764150000000-add-cookie-session-data.js';
import { NotifyDeletedSessions1764260000000 } from '../../migrations/1764260000000-notify-deleted-sessions.js';
import { AuditEvent } from '../../audit/audit-event.entity.js';
import { CreateAuditEvents1764200000000 } from '../../migrations/1764200000000-create-audit-events.js';
import { CreateRateLimits1764300000000 } from '../../migrations/1764300000000-create-rate-limits.js';
import { AddSecurityStamp1764400000000 } from '../../migrations/1764400000000-add-security-stamp.js';
import { CreateSigningKeys1764250000000 } from '../../migrations/1764250000000-create-signing-keys.js';
import { CreateSessions1764100000000 } from '../../migrations/1764100000000-create-sessions.js';
import { Session } from '../../sessions/session.entity.js';
import { CreateMfa1764520000000 } from '../../migrations/1764520000000-create-mfa.js';
import { MfaChallenge } from '../../mfa/mfa-challenge.entity.js';
import { RecoveryCode } from '../../mfa/recovery-code.entity.js';
import { TotpCredential } from '../../mfa/totp-credential.entity.js';
import { User } from '../../users/user.entity.js';

/** Where `npm start` and the TypeORM CLI keep the embedded PostgreSQL's data (git-ignored). */
export const EMBEDDED_DATABASE_DIR = join('.data', 'postgres');

export const databaseConfig = configNamespace('database', (env) => {
  return {
    /** Unset: an embedded PostgreSQL is started with its data under `embeddedDir`. */
    url: env.DATABASE_URL,
    migrate: env.DB_MIGRATE,
    embeddedDir: EMBEDDED_DATABASE_DIR,
  };
});

export type DatabaseConfig = ConfigOf<typeof databaseConfig>;

/**
 * The one description of the database, shared by the app and by the TypeORM CLI (ormconfig.ts).
 * Entities and migrations are listed, not globbed, so the same list works from `src/` and `dist/`.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [User, Session, AuditEvent, TotpCredential, RecoveryCode, MfaChallenge],
    migrations: [CreateUsers1764000000000, CreateSessions1764100000000, AddCookieSessionData1764150000000, CreateAuditEvents1764200000000, CreateSigningKeys1764250000000, NotifyDeletedSessions1764260000000, CreateRateLimits1764300000000, AddSecurityStamp1764400000000, CreateMfa1764520000000],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // The schema is owned by migrations only.
    synchronize: false,
    // `where: { id: undefined }` must never silently match the first row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}
