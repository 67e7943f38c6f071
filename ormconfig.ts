import 'reflect-metadata';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { databaseLimits, dataSourceOptions, EMBEDDED_DATABASE_DIR } from './src/core/config/database.config.js';
import { loadEnvironment } from './src/core/config/env.validation.js';
import { startEmbeddedPostgres } from './src/core/database/embedded-postgres.js';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:*`), built from the same options as the
 * app. Without DATABASE_URL it starts the embedded PostgreSQL under .data/postgres, like `npm start`
 * (stop the server first: one data directory serves one process at a time).
 *
 * The app knows its entities from the modules that register them (autoLoadEntities); the CLI has
 * no modules, so it takes every `*.entity` file under src/ (`dist/src/**\/*.entity.js` once built),
 * which is what `migration:generate` diffs against the database.
 */
const here = fileURLToPath(import.meta.url);
const ENTITY_GLOB = join(dirname(here), 'src', '**', `*.entity${extname(here)}`);

const env = loadEnvironment();
const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres(EMBEDDED_DATABASE_DIR, console.error);
// Migrations may rightly run longer than a request's statement timeout.
const limits = { ...databaseLimits(env), statementTimeoutMs: 0 };
const dataSource = new DataSource({ ...dataSourceOptions(env.DATABASE_URL ?? embedded!.url, limits), entities: [ENTITY_GLOB] });

// Some CLI commands (migration:revert) end by destroying the DataSource without exiting: the
// embedded server goes with it, or its child process would keep the CLI running forever.
if (embedded) {
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    await embedded.stop();
  };
}

export default dataSource;
