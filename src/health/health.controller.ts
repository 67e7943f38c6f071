import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import { Public } from '../access/decorators/public.decorator.js';
import { DependencyHealth } from './dependency-health.js';

/**
 * Liveness says the process serves HTTP at all (restart it if not); readiness says it can serve
 * requests now (send it traffic or not). A database outage must fail readiness, never liveness:
 * restarting every instance would not bring the database back.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealth,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: 'Ready: PostgreSQL (and Redis, when configured) answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  check(): Promise<HealthCheckResult> {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Ready: PostgreSQL (and Redis, when configured) answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.dependencies.database()];
    if (this.dependencies.redisConfigured()) checks.push(() => this.dependencies.redisPing());
    checks.push(() => this.dependencies.cluster());
    return this.health.check(checks);
  }

  @Get('live')
  @HealthCheck()
  @ApiOkResponse({ description: 'The process serves HTTP; no dependency is consulted' })
  @ApiServiceUnavailableResponse({ description: 'The server is shutting down (SIGTERM): requests in flight finish, new ones go elsewhere' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }
}
