import { join } from 'node:path';
import { configNamespace, type ConfigOf } from './config-namespace.js';
import type { DataSourceOptions } from 'typeorm';
import { discoverMigrations } from '../database/discover-migrations.js';

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

/** Every migration in src/migrations, found when this module loads: a new file runs at the next start. */
const migrations = await discoverMigrations();

/**
 * The one description of the database, shared by the app and by the TypeORM CLI (ormconfig.ts).
 * Entities are not listed here: the app loads those its modules register with
 * `TypeOrmModule.forFeature` (autoLoadEntities), the CLI globs `*.entity.js` (ormconfig.ts).
 */
export function dataSourceOptions(url: string): DataSourceOptions {
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
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}
