import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../access/auth-user.js';
import { Client } from '../core/http/client-info.decorator.js';
import { CurrentUser } from '../access/decorators/current-user.decorator.js';
import { AdminOnly } from '../access/decorators/roles.decorator.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { AdminUpdateUserDto } from '../users/dto/admin-update-user.dto.js';
import { PaginationQuery } from '../core/http/pagination.dto.js';
import { UserPage, UserResponse } from '../users/dto/user-response.dto.js';
import { UsersService } from '../users/users.service.js';
import { AccountLifecycle } from './account-lifecycle.service.js';

const UserId = () => Param('id', new ParseUUIDPipe({ version: undefined }));

@ApiTags('admin')
@AdminOnly()
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly lifecycle: AccountLifecycle,
  ) {}

  @Get()
  @ApiOkResponse({ type: UserPage })
  @ApiBadRequestResponse({ description: 'Invalid page or limit' })
  async list(@Query() query: PaginationQuery): Promise<UserPage> {
    const { items, total } = await this.users.list(query.page, query.limit);
    return { items: items.map((user) => UserResponse.from(user)), total, page: query.page, limit: query.limit };
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({ description: 'id is not a uuid' })
  @ApiNotFoundResponse({ description: 'No such user' })
  async get(@UserId() id: string): Promise<UserResponse> {
    return UserResponse.from(await this.users.getById(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserResponse, description: 'A role change refuses older access tokens at once; disabling ends all sessions' })
  @ApiBadRequestResponse({ description: 'id is not a uuid, or invalid role' })
  @ApiNotFoundResponse({ description: 'No such user' })
  async update(
    @UserId() id: string,
    @Body() body: AdminUpdateUserDto,
    @CurrentUser() admin: AuthUser,
    @Client() client: ClientInfo,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.lifecycle.update(id, body, { id: admin.userId, client }));
  }

  @Delete(':id/sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: "All of the user's sessions ended, on every instance at once" })
  @ApiBadRequestResponse({ description: 'id is not a uuid' })
  @ApiNotFoundResponse({ description: 'No such user' })
  endSessions(@UserId() id: string, @CurrentUser() admin: AuthUser, @Client() client: ClientInfo): Promise<void> {
    return this.lifecycle.endAllSessions(id, { id: admin.userId, client });
  }
}
