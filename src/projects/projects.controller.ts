import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags,
} from '@nestjs/swagger';
import { ApiAnyCredential, CurrentUser, Public, type AuthUser } from '../auth/index.js';
import { PaginationQuery } from '../core/http/pagination.dto.js';
import { ProjectInput } from './dto/project-input.dto.js';
import { ProjectCount, ProjectPage, ProjectResponse } from './dto/project-response.dto.js';
import { ProjectsService } from './projects.service.js';

export const ProjectId = () => Param('id', new ParseUUIDPipe({ version: undefined }));
export const PROJECT_ID = { name: 'id', format: 'uuid', example: '00000000-0000-4000-8000-000000000000', description: '`id` of a project, from the create answer or a list' };

/**
 * The global-guard style: nothing but decorators. Every route needs a credential (Bearer, the
 * hybrid's access_token cookie or a sid session; cookies plus X-CSRF-Token on changes) unless it
 * says @Public().
 */
// 401 comes with @ApiAnyCredential(); the 403 for a cookie without X-CSRF-Token on a change is
// added to every such route by src/swagger.ts.
@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Public()
  @Get('count')
  @ApiOperation({ summary: 'Count all projects' })
  @ApiOkResponse({ type: ProjectCount, description: 'How many projects exist; no credential needed' })
  async count(): Promise<ProjectCount> {
    return { total: await this.projects.count() };
  }

  @Post()
  @ApiOperation({ summary: 'Create a project' })
  @ApiAnyCredential()
  @ApiCreatedResponse({ type: ProjectResponse })
  @ApiBadRequestResponse({ description: 'Invalid name or unknown field' })
  async create(@CurrentUser() user: AuthUser, @Body() body: ProjectInput): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.create(user.userId, body.name));
  }

  @Get()
  @ApiOperation({ summary: 'List my projects' })
  @ApiAnyCredential()
  @ApiOkResponse({ type: ProjectPage, description: "The caller's own projects, newest first" })
  async list(@CurrentUser() user: AuthUser, @Query() query: PaginationQuery): Promise<ProjectPage> {
    const { items, total } = await this.projects.listOwn(user.userId, query.page, query.limit);
    return { items: items.map((project) => ProjectResponse.from(project)), total, page: query.page, limit: query.limit };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one of my projects' })
  @ApiParam(PROJECT_ID)
  @ApiAnyCredential()
  @ApiOkResponse({ type: ProjectResponse })
  @ApiNotFoundResponse({ description: "No such project, or another user's" })
  async get(@CurrentUser() user: AuthUser, @ProjectId() id: string): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.getOwn(user.userId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename one of my projects' })
  @ApiParam(PROJECT_ID)
  @ApiAnyCredential()
  @ApiOkResponse({ type: ProjectResponse })
  @ApiNotFoundResponse({ description: "No such project, or another user's" })
  async rename(@CurrentUser() user: AuthUser, @ProjectId() id: string, @Body() body: ProjectInput): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.renameOwn(user.userId, id, body.name));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete one of my projects' })
  @ApiParam(PROJECT_ID)
  @ApiAnyCredential()
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: "No such project, or another user's" })
  delete(@CurrentUser() user: AuthUser, @ProjectId() id: string): Promise<void> {
    return this.projects.deleteOwn(user.userId, id);
  }
}
