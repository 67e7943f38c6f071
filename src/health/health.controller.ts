import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ERROR_STATUS } from '../core/http/app-error.js';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../access/decorators/public.decorator.js';

const CHECKS = { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, required: ['status'], additionalProperties: true } };
const HEALTH_REPORT = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok', 'error'] }, info: CHECKS, error: CHECKS, details: CHECKS },
  required: ['status', 'details'],
};

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Is the database reachable?' })
  @ApiOkResponse({ description: 'The database answers', schema: HEALTH_REPORT })
  @ApiServiceUnavailableResponse({
    description: 'The database does not answer: the same report, with the error code',
    schema: { ...HEALTH_REPORT, properties: { ...HEALTH_REPORT.properties, statusCode: { type: 'integer', example: 503 }, code: { type: 'string', enum: Object.keys(ERROR_STATUS) } }, required: [...HEALTH_REPORT.required, 'statusCode', 'code'] },
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1500 })]);
  }
}
