import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseLimits, dataSourceOptions, EMBEDDED_DATABASE_DIR } from './src/core/config/database.config.js';
import { loadEnvironment } from './src/core/config/env.validation.js';
import { startEmbeddedPostgres } from './src/core/database/embedded-postgres.js';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:*`), built from the same options as the
 * app. Without DATABASE_URL it starts the embedded PostgreSQL under .data/postgres, like `npm start`
 * (stop the server first: one data directory serves one process at a time).
 */
const env = loadEnvironment();
const url = env.DATABASE_URL ?? (await startEmbeddedPostgres(EMBEDDED_DATABASE_DIR, console.error)).url;

// Migrations may rightly run longer than a request's statement timeout.
export default new DataSource(dataSourceOptions(url, { ...databaseLimits(env), statementTimeoutMs: 0 }));
