import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AppController } from './app.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';
import { authConfig } from './core/config/auth.config.js';
import { cookieConfig } from './core/config/cookie.config.js';
import { databaseConfig } from './core/config/database.config.js';
import { throttleConfig } from './core/config/throttle.config.js';
import { DatabaseModule } from './core/database/database.module.js';
import { RedisModule } from './core/database/redis.module.js';
import { HealthModule } from './core/health/health.module.js';
import { UsersModule } from './users/users.module.js';
import { loggerOptions } from './core/logging/logging.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig, authConfig, cookieConfig, databaseConfig, throttleConfig] }),
    LoggerModule.forRootAsync({ inject: [appConfig.KEY], useFactory: (config: AppConfig) => loggerOptions(config) }),
    ScheduleModule.forRoot(),
    DatabaseModule,
    RedisModule,
    UsersModule,
    AuthModule,
    HealthModule,
  ],
  controllers: [AppController],
})
export class AppModule {}
