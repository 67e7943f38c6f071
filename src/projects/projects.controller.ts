import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiAnyCredential, CurrentUser, Public, type AuthUser } from '../auth/index.js';
import { PaginationQuery } from '../core/http/pagination.dto.js';
import { ProjectInput } from './dto/project-input.dto.js';
import { ProjectCount, ProjectPage, ProjectResponse } from './dto/project-response.dto.js';
import { ProjectsService } from './projects.service.js';

export const ProjectId = () => Param('id', new ParseUUIDPipe({ version: undefined }));

/**
 * The global-guard style: nothing but decorators. Every route needs a credential (Bearer, the
 * hybrid's access_token cookie or a sid session; cookies plus X-CSRF-Token on changes) unless it
 * says @Public().
 */
@ApiTags('projects')
@ApiUnauthorizedResponse({ description: 'No valid credential' })
@ApiForbiddenResponse({ description: 'Cookie credential without a valid X-CSRF-Token on a change' })
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Public()
  @Get('count')
  @ApiOkResponse({ type: ProjectCount, description: 'How many projects exist; no credential needed' })
  async count(): Promise<ProjectCount> {
    return { total: await this.projects.count() };
  }

  @Post()
  @ApiAnyCredential()
  @ApiCreatedResponse({ type: ProjectResponse })
  @ApiBadRequestResponse({ description: 'Invalid name or unknown field' })
  async create(@CurrentUser() user: AuthUser, @Body() body: ProjectInput): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.create(user.userId, body.name));
  }

  @Get()
  @ApiAnyCredential()
  @ApiOkResponse({ type: ProjectPage, description: "The caller's own projects, newest first" })
  async list(@CurrentUser() user: AuthUser, @Query() query: PaginationQuery): Promise<ProjectPage> {
    const { items, total } = await this.projects.listOwn(user.userId, query.page, query.limit);
    return { items: items.map((project) => ProjectResponse.from(project)), total, page: query.page, limit: query.limit };
  }

  @Get(':id')
  @ApiAnyCredential()
  @ApiOkResponse({ type: ProjectResponse })
  @ApiNotFoundResponse({ description: "No such project, or another user's" })
  async get(@CurrentUser() user: AuthUser, @ProjectId() id: string): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.getOwn(user.userId, id));
  }

  @Patch(':id')
  @ApiAnyCredential()
  @ApiOkResponse({ type: ProjectResponse })
  @ApiNotFoundResponse({ description: "No such project, or another user's" })
  async rename(@CurrentUser() user: AuthUser, @ProjectId() id: string, @Body() body: ProjectInput): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.renameOwn(user.userId, id, body.name));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiAnyCredential()
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: "No such project, or another user's" })
  delete(@CurrentUser() user: AuthUser, @ProjectId() id: string): Promise<void> {
    return this.projects.deleteOwn(user.userId, id);
  }
}
