import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AppController } from './app.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';
import { ConfigModule } from './core/config/config.module.js';
import type { Environment } from './core/config/env.validation.js';
import { DatabaseModule } from './core/database/database.module.js';
import { RedisModule } from './core/database/redis.module.js';
import { HealthModule } from './health/health.module.js';
import { ProjectsModule } from './projects/projects.module.js';
import { UsersModule } from './users/users.module.js';
import { loggerOptions } from './core/logging/logging.js';

/** The whole application, configured from one parsed environment (see createApp). */
@Module({
  imports: [
    LoggerModule.forRootAsync({ inject: [appConfig.KEY], useFactory: (config: AppConfig) => loggerOptions(config) }),
    ScheduleModule.forRoot(),
    DatabaseModule,
    RedisModule,
    UsersModule,
    AuthModule,
    HealthModule,
    ProjectsModule,
  ],
  controllers: [AppController],
})
export class AppModule {
  static forRoot(env: Environment): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(env)] };
  }
}
