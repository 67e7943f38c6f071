import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { throttleConfig, type ThrottleConfig } from '../core/config/throttle.config.js';
import { REDIS } from '../core/database/redis.module.js';
import { SharedRateLimitStore } from './rate-limit.store.js';
import { AppError } from '../core/http/app-error.js';

/** Registers @fastify/rate-limit for the routes marked @AuthRateLimit() (none else). */
export async function registerAuthRateLimit(app: NestFastifyApplication): Promise<void> {
  const config = app.get<ThrottleConfig>(throttleConfig.KEY);
  await app.register(rateLimit, {
    global: false,
    max: config.authRequestsPerMinute,
    timeWindow: 60_000,
    // request.ip honours TRUST_PROXY, so X-Forwarded-For counts only behind a trusted proxy.
    keyGenerator: (request) => `auth:${request.ip}`,
    store: SharedRateLimitStore.bound(app.get(DataSource), app.get<Redis | null>(REDIS)),
    // Thrown from the hook into Nest's error handling, so the body has the usual shape; the
    // plugin has already set Retry-After.
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests; retry in ${context.after}`),
  });
}
