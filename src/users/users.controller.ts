import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiAnyCredential } from '../access/decorators/api-credentials.decorator.js';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthUser } from '../access/auth-user.js';
import { CurrentUser } from '../access/decorators/current-user.decorator.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserResponse } from './dto/user-response.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiAnyCredential()
@ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credential' })
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() principal: AuthUser): Promise<UserResponse> {
    return UserResponse.from(await this.users.getById(principal.userId));
  }

  @Patch('me')
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({ description: 'Invalid name or unknown field' })
  async update(@CurrentUser() principal: AuthUser, @Body() body: UpdateProfileDto): Promise<UserResponse> {
    return UserResponse.from(await this.users.updateProfile(principal.userId, { name: body.name }));
  }
}
