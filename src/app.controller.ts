import { Controller, Get, Inject } from '@nestjs/common';
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
  index(): AboutResponse {
    return this.about;
  }
}
