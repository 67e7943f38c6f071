import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ENVIRONMENT } from '../config/config.module.js';
import { ConfigurationError, type Environment } from '../config/env.validation.js';
import { retryUntil } from './startup-retry.js';

/** The shared Redis connection when REDIS_URL is set, or null: inject with `@Inject(REDIS)`. */
export const REDIS = Symbol('gatehouse.redis');

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    // quit() waits for an answer a dead server never gives.
    await Promise.race([this.redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.redis.disconnect();
  }
}

/** host:port of a Redis URL, without credentials, for messages. */
function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'an unparsable REDIS_URL';
  }
}

/**
 * Every Redis wait is bounded: no offline queue (a command while disconnected fails at once
 * instead of waiting for a reconnection that may never come), a per-command timeout, a connect
 * timeout, and TCP keepalive. Callers get an error they map to 503; the client keeps
 * reconnecting in the background, so the server recovers without a restart.
 */
export async function connectRedis(env: Pick<Environment, 'REDIS_URL' | 'REDIS_COMMAND_TIMEOUT_MS' | 'STARTUP_TIMEOUT'>): Promise<Redis | null> {
  const url = env.REDIS_URL;
  if (!url) return null;
  const target = describeRedisUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: Math.max(1000, env.REDIS_COMMAND_TIMEOUT_MS * 2),
    maxRetriesPerRequest: 1,
    keepAlive: 10_000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  // Without a listener, every failed reconnection would be an unhandled 'error' event. The last
  // one says more at start-up (ECONNREFUSED) than the command's "Connection is closed".
  let lastError: unknown;
  redis.on('error', (error) => (lastError = error));
  redis.on('ready', () => (lastError = undefined));
  const timeoutMs = env.STARTUP_TIMEOUT * 1000;
  try {
    await retryUntil({
      what: `Redis at ${target}`,
      timeoutMs,
      retryable: () => true,
      giveUp: (reason) => new ConfigurationError(`Cannot reach Redis at ${target}: ${reason}; set REDIS_URL to a reachable server, or unset it (waited ${env.STARTUP_TIMEOUT}s, STARTUP_TIMEOUT)`),
      attempt: () => firstReady().catch((error: unknown) => Promise.reject(lastError ?? error)),
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;

  async function firstReady(): Promise<void> {
    if (redis.status === 'wait' || redis.status === 'end') {
      await redis.connect();
    } else if (redis.status !== 'ready') {
      // Reconnecting in the background: give it a moment before the next attempt.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`still ${redis.status}`)), 1000);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await redis.ping();
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [ENVIRONMENT], useFactory: (env: Environment) => connectRedis(env) },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}
