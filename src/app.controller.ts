import { Controller, Get, Inject } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from './access/decorators/public.decorator.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';

class AboutResponse {
  @ApiProperty({ example: 'gatehouse' })
  name: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ type: String, nullable: true, example: '/docs', description: 'null when Swagger UI is off (SWAGGER=false, the production default)' })
  docs: string | null;
}

/**
 * AboutResponse as a JSON schema, for Fastify's compiled serializer (fast-json-stringify), which
 * writes it in well under half the time JSON.stringify takes; test/openapi.e2e-spec.ts holds it
 * to the class above.
 */
export const ABOUT_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['name', 'version', 'docs'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    docs: { type: ['string', 'null'] },
  },
} as const;

@ApiTags('operations')
@Controller()
export class AppController {
  private readonly about: AboutResponse;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.about = { name: config.name, version: config.version, docs: config.swagger ? '/docs' : null };
  }

  /** Cheap and public: no database access. The benchmarks use it as the unguarded baseline. */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Service name, version and where the docs are' })
  @ApiOkResponse({ type: AboutResponse })
  @RouteSchema({ response: { 200: ABOUT_RESPONSE_SCHEMA } })
  index(): AboutResponse {
    return this.about;
  }
}
