import { join } from 'node:path';
import { configNamespace, type ConfigOf } from './config-namespace.js';
import type { DataSourceOptions } from 'typeorm';
import type { Environment } from './env.validation.js';
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
import { User } from '../../users/user.entity.js';

/** Where `npm start` and the TypeORM CLI keep the embedded PostgreSQL's data (git-ignored). */
export const EMBEDDED_DATABASE_DIR = join('.data', 'postgres');

export const databaseConfig = configNamespace('database', (env) => {
  return {
    /** Unset: an embedded PostgreSQL is started with its data under `embeddedDir`. */
    url: env.DATABASE_URL,
    migrate: env.DB_MIGRATE,
    embeddedDir: EMBEDDED_DATABASE_DIR,
    ...databaseLimits(env),
  };
});

/** Upper bounds on every wait for PostgreSQL (milliseconds unless named otherwise). */
export interface DatabaseLimits {
  poolSize: number;
  /** Connecting, and waiting for a free pooled connection. */
  connectTimeoutMs: number;
  /** A statement running longer is cancelled by the server (a locked row, a slow plan). */
  statementTimeoutMs: number;
  /** A transaction left idle this long is ended by the server, releasing its locks. */
  idleInTransactionTimeoutMs: number;
  /** How often the cluster channel proves delivery, and how long an echo may take. */
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  /** How long start-up keeps retrying an unreachable database before giving up. */
  startupTimeoutMs: number;
}

export function databaseLimits(env: Partial<Environment> = {}): DatabaseLimits {
  return {
    poolSize: env.DB_POOL_SIZE ?? 10,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS ?? 5000,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS ?? 5000,
    idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? 10_000,
    heartbeatIntervalMs: env.CLUSTER_HEARTBEAT_MS ?? 1000,
    heartbeatTimeoutMs: env.CLUSTER_HEARTBEAT_TIMEOUT_MS ?? 2000,
    startupTimeoutMs: (env.STARTUP_TIMEOUT ?? 30) * 1000,
  };
}

export type DatabaseConfig = ConfigOf<typeof databaseConfig>;

/**
 * The one description of the database, shared by the app and by the TypeORM CLI (ormconfig.ts).
 * Entities and migrations are listed, not globbed, so the same list works from `src/` and `dist/`.
 */
export function dataSourceOptions(url: string, limits: DatabaseLimits = databaseLimits()): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [User, Session, AuditEvent],
    migrations: [CreateUsers1764000000000, CreateSessions1764100000000, AddCookieSessionData1764150000000, CreateAuditEvents1764200000000, CreateSigningKeys1764250000000, NotifyDeletedSessions1764260000000, CreateRateLimits1764300000000, AddSecurityStamp1764400000000],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // The schema is owned by migrations only.
    synchronize: false,
    // `where: { id: undefined }` must never silently match the first row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    extra: poolOptions(limits),
  };
}

/**
 * node-postgres pool settings: every wait ends. The server cancels long statements and idle
 * transactions; query_timeout is the client-side bound for when the server cannot even say so
 * (a silent network), and TCP keepalive lets the kernel notice a vanished peer.
 */
function poolOptions(limits: DatabaseLimits): Record<string, unknown> {
  // 0: no statement bound (the migration CLI, where a long migration is legitimate).
  const statementBound = limits.statementTimeoutMs > 0;
  return {
    max: limits.poolSize,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: statementBound ? limits.statementTimeoutMs : undefined,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    query_timeout: statementBound ? limits.statementTimeoutMs + 1000 : undefined,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}
