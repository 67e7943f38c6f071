import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAnyCredential } from '../access/decorators/api-credentials.decorator.js';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthUser } from '../access/auth-user.js';
import { AccountLifecycle } from './account-lifecycle.service.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { Client } from '../core/http/client-info.decorator.js';
import { CurrentUser } from '../access/decorators/current-user.decorator.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { RequireMfa } from '../access/decorators/require-mfa.decorator.js';
import { AuthRateLimit } from '../throttling/auth-rate-limit.decorator.js';

/** Credential changes under /users/me; they live here because only AuthModule knows passwords. */
@ApiTags('users')
@ApiAnyCredential()
@Controller('users/me')
export class AccountController {
  constructor(private readonly lifecycle: AccountLifecycle) {}

  // A stolen password-only session of an account with MFA must not be able to take the account over.
  @RequireMfa()
  // Each attempt costs a bcrypt and tests a guess: the same per-IP budget as a login.
  @AuthRateLimit()
  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Changed; every other session of the user ended' })
  @ApiBadRequestResponse({ description: 'New password too short or too long' })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credential' })
  @ApiForbiddenResponse({ description: 'Current password is incorrect' })
  changePassword(@CurrentUser() principal: AuthUser, @Body() body: ChangePasswordDto, @Client() client: ClientInfo): Promise<void> {
    return this.lifecycle.changePassword(principal, body.currentPassword, body.newPassword, client);
  }
}
