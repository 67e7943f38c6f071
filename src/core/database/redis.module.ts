import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ENVIRONMENT } from '../config/config.module.js';
import type { Environment } from '../config/env.validation.js';

/** The shared Redis connection when REDIS_URL is set, or null: inject with `@Inject(REDIS)`. */
export const REDIS = Symbol('gatehouse.redis');

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ENVIRONMENT],
      useFactory: ({ REDIS_URL: url }: Environment): Redis | null => (url ? new Redis(url, { maxRetriesPerRequest: 2 }) : null),
    },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}
