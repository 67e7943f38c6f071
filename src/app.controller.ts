import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from './access/decorators/public.decorator.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';

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
  @ApiOkResponse({ schema: { example: { name: 'gatehouse', version: '0.1.0', docs: '/docs' } } })
  index(): { name: string; version: string; docs: string } {
    return this.about;
  }
}
