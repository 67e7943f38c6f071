import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ClusterChannel } from '../core/cluster/cluster-channel.js';
import { REDIS } from '../core/database/redis.module.js';

/** How long a probe waits for a dependency: well under any orchestrator's probe timeout. */
export const PROBE_TIMEOUT_MS = 1500;

/**
 * The checks behind the readiness probe. Each is bounded by PROBE_TIMEOUT_MS, so a hung
 * dependency answers "down" quickly instead of holding the probe.
 */
@Injectable()
export class DependencyHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly channel: ClusterChannel,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  database(): Promise<HealthIndicatorResult> {
    return this.probe('database', () => this.dataSource.query('SELECT 1'));
  }

  /** Only when REDIS_URL is set. */
  redisConfigured(): boolean {
    return this.redis !== null;
  }

  redisPing(): Promise<HealthIndicatorResult> {
    return this.probe('redis', () => (this.redis as Redis).ping());
  }

  /**
   * The revocation channel does not decide readiness: while it cannot prove delivery the guard
   * asks the database instead, which is safe, only slower. It is reported as degraded.
   */
  cluster(): HealthIndicatorResult {
    const session = this.indicators.check('cluster');
    return this.channel.alive ? session.up() : session.degraded({ message: 'revocations are checked in the database until the channel is proven alive' });
  }

  private async probe(key: string, work: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        work(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
