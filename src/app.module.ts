import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppController } from './app.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './core/config/config.module.js';
import type { Environment } from './core/config/env.validation.js';
import { DatabaseModule } from './core/database/database.module.js';
import { RedisModule } from './core/database/redis.module.js';
import { HealthModule } from './health/health.module.js';
import { ProjectsModule } from './projects/projects.module.js';
import { UsersModule } from './users/users.module.js';

/** The whole application, configured from one parsed environment (see createApp). */
@Module({
  imports: [
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
