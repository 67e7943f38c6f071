import { join } from 'node:path';
import { configNamespace, type ConfigOf } from './config-namespace.js';
import type { DataSourceOptions } from 'typeorm';
import type { Environment } from './env.validation.js';
import { discoverMigrations } from '../database/discover-migrations.js';

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

/** Every migration in src/migrations, found when this module loads: a new file runs at the next start. */
const migrations = await discoverMigrations();

/**
 * The one description of the database, shared by the app and by the TypeORM CLI (ormconfig.ts).
 * Entities are not listed here: the app loads those its modules register with
 * `TypeOrmModule.forFeature` (autoLoadEntities), the CLI globs `*.entity.js` (ormconfig.ts).
 */
export function dataSourceOptions(url: string, limits: DatabaseLimits = databaseLimits()): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // The schema is owned by migrations only: TypeORM creates no extension at connect either.
    synchronize: false,
    installExtensions: false,
    // uuid defaults are PostgreSQL's built-in gen_random_uuid() (13+), in generated migrations too.
    uuidExtension: 'pgcrypto',
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
