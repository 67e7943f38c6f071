import { Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseConfig, dataSourceOptions, type DatabaseConfig } from '../config/database.config.js';
import { DatabaseLocator } from './embedded-database.service.js';
import { runMigrationsExclusively } from './migrate.js';

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

@Module({
  imports: [
    DatabaseLocatorModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseLocatorModule],
      inject: [DatabaseLocator, databaseConfig.KEY],
      useFactory: async (locator: DatabaseLocator, config: DatabaseConfig) => ({
        ...dataSourceOptions(await locator.url()),
        migrationsRun: config.migrate,
        // Every entity a module registers with TypeOrmModule.forFeature: no list to keep.
        autoLoadEntities: true,
      }),
      // TypeORM's own migrationsRun would race when instances start together; run them here
      // instead, under an advisory lock.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource({ ...(options as DataSourceOptions), migrationsRun: false }).initialize();
        if (options?.migrationsRun) {
          const applied = await runMigrationsExclusively(dataSource);
          if (applied.length > 0) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
        }
        return dataSource;
      },
    }),
  ],
  providers: [DatabaseShutdown],
})
export class DatabaseModule {}

