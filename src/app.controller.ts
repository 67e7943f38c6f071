import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from './access/decorators/public.decorator.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';

class AboutResponse {
  @ApiProperty({ example: 'gatehouse' })
  name: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: '/docs' })
  docs: string;
}

@ApiTags('operations')
@Controller()
export class AppController {
  private readonly about: { name: string; version: string; docs: string };

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.about = { name: config.name, version: config.version, docs: '/docs' };
  }

  /** Cheap and public: no database access. The benchmarks use it as the unguarded baseline. */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Service name, version and where the docs are' })
  @ApiOkResponse({ type: AboutResponse })
  index(): { name: string; version: string; docs: string } {
    return this.about;
  }
}
