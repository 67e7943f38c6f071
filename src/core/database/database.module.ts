import { Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseConfig, dataSourceOptions, type DatabaseConfig } from '../config/database.config.js';
import { ConfigurationError } from '../config/env.validation.js';
import { describeDatabaseUrl } from './database-url.js';
import { DatabaseLocator } from './embedded-database.service.js';
import { runMigrationsExclusively } from './migrate.js';
import { retryUntil } from './startup-retry.js';
import { unavailableDependency } from './unavailable.js';

@Module({ providers: [DatabaseLocator], exports: [DatabaseLocator] })
class DatabaseLocatorModule {}

/** Closes the pool before the embedded server it talks to goes away. */
@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly locator: DatabaseLocator,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.locator.stop();
  }
}

/**
 * Connects, retrying an unreachable server for STARTUP_TIMEOUT while saying so, then gives up
 * with one line naming what to set. Migrations run first, on a connection of their own without
 * the statement timeout (a migration on a large table may rightly take minutes, and waiting for
 * another instance's migration lock is expected).
 */
async function connect(options: DataSourceOptions, startupTimeoutMs: number, migrate: boolean): Promise<DataSource> {
  const target = describeDatabaseUrl((options as { url: string }).url);
  return retryUntil({
    what: `PostgreSQL at ${target}`,
    timeoutMs: startupTimeoutMs,
    retryable: (error) => unavailableDependency(error) === 'database',
    giveUp: (reason) =>
      new ConfigurationError(`Cannot reach PostgreSQL at ${target}: ${reason}; set DATABASE_URL to a reachable server (waited ${startupTimeoutMs / 1000}s, STARTUP_TIMEOUT)`),
    attempt: async () => {
      if (migrate) {
        const extra = { ...(options as { extra?: object }).extra, max: 2, statement_timeout: undefined, query_timeout: undefined };
        const migrator = await new DataSource({ ...options, extra } as DataSourceOptions).initialize();
        try {
          const applied = await runMigrationsExclusively(migrator);
          if (applied.length > 0) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
        } finally {
          await migrator.destroy();
        }
      }
      return new DataSource(options).initialize();
    },
  }).catch((error: unknown) => {
    // Reachable but refusing (wrong password, no such database): not worth retrying, same one line.
    if (error instanceof ConfigurationError || !isRefusal(error)) throw error;
    throw new ConfigurationError(`PostgreSQL at ${target} refused the connection: ${(error as Error).message}; check DATABASE_URL`);
  });
}

/** SQLSTATE 28xxx (authentication) and 3D000 (no such database). */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('28') || code === '3D000');
}

@Module({
  imports: [
    DatabaseLocatorModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseLocatorModule],
      inject: [DatabaseLocator, databaseConfig.KEY],
      useFactory: async (locator: DatabaseLocator, config: DatabaseConfig) => ({
        ...dataSourceOptions(await locator.url(), config),
        migrationsRun: config.migrate,
        startupTimeoutMs: config.startupTimeoutMs,
        // connect() retries for a bounded time itself, saying so in one line, not stack traces.
        toRetry: () => false,
        // Every entity a module registers with TypeOrmModule.forFeature: no list to keep.
        autoLoadEntities: true,
      }),
      // TypeORM's own migrationsRun would race when instances start together; run them here
      // instead, under an advisory lock.
      dataSourceFactory: async (options) => {
        const { startupTimeoutMs, migrationsRun, ...rest } = options as DataSourceOptions & { startupTimeoutMs: number; migrationsRun?: boolean };
        return connect({ ...rest, migrationsRun: false } as DataSourceOptions, startupTimeoutMs, migrationsRun === true);
      },
    }),
  ],
  providers: [DatabaseShutdown],
})
export class DatabaseModule {}

