import { Controller, Delete, Get, HttpCode, HttpStatus, Query, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, JwtAuthGuard, RolesGuard } from '../auth/index.js';
import { PaginationQuery } from '../core/http/pagination.dto.js';
import { ProjectPage, ProjectResponse } from './dto/project-response.dto.js';
import { ProjectId } from './projects.controller.js';
import { ProjectsService } from './projects.service.js';

/**
 * The explicit style: the guards named on the controller, as the NestJS docs teach. Works beside
 * the global guard (a request is authenticated once) and accepts the same three credentials.
 * @AdminOnly() is @Roles(Role.Admin) plus its Swagger annotations (credentials, 401, 403).
 */
@ApiTags('admin')
@UseGuards(JwtAuthGuard, RolesGuard)
@AdminOnly()
@Controller('admin/projects')
export class AdminProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiOkResponse({ type: ProjectPage, description: "Every user's projects, newest first" })
  async list(@Query() query: PaginationQuery): Promise<ProjectPage> {
    const { items, total } = await this.projects.listAll(query.page, query.limit);
    return { items: items.map((project) => ProjectResponse.from(project)), total, page: query.page, limit: query.limit };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such project' })
  delete(@ProjectId() id: string): Promise<void> {
    return this.projects.delete(id);
  }
}
