import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import { Public } from '../access/decorators/public.decorator.js';
import { ERROR_STATUS } from '../core/http/app-error.js';
import { DependencyHealth } from './dependency-health.js';

/** Terminus's report: one entry per dependency checked. */
const CHECKS = { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', example: 'up' } }, required: ['status'], additionalProperties: true } };
const HEALTH_REPORT = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] }, info: CHECKS, error: CHECKS, details: CHECKS },
  required: ['status'],
};
/** A failed check is answered with the same report plus the error fields every error has. */
const FAILED_REPORT = {
  ...HEALTH_REPORT,
  properties: { ...HEALTH_REPORT.properties, statusCode: { type: 'integer', example: 503 }, code: { type: 'string', enum: Object.keys(ERROR_STATUS) } },
  required: [...HEALTH_REPORT.required, 'statusCode', 'code'],
};

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
  @ApiOperation({ operationId: 'health', summary: 'Can this instance serve requests? (the same as /health/ready)' })
  @ApiOkResponse({ description: 'PostgreSQL (and Redis, when configured) answer', schema: HEALTH_REPORT })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer', schema: FAILED_REPORT })
  check(): Promise<HealthCheckResult> {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ operationId: 'healthReady', summary: 'Readiness: send this instance traffic?' })
  @ApiOkResponse({ description: 'PostgreSQL (and Redis, when configured) answer; the cluster channel may be reported degraded', schema: HEALTH_REPORT })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer', schema: FAILED_REPORT })
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.dependencies.database()];
    if (this.dependencies.redisConfigured()) checks.push(() => this.dependencies.redisPing());
    checks.push(() => this.dependencies.cluster());
    return this.health.check(checks);
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ operationId: 'healthLive', summary: 'Liveness: does the process serve HTTP? (no dependency consulted)' })
  @ApiOkResponse({ description: 'The process serves HTTP', schema: HEALTH_REPORT })
  @ApiServiceUnavailableResponse({ description: 'The server is shutting down (SIGTERM): requests in flight finish, new ones go elsewhere', schema: FAILED_REPORT })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }
}
