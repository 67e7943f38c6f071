import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../access/auth-user.js';
import { ApiAnyCredential } from '../access/decorators/api-credentials.decorator.js';
import { CurrentUser } from '../access/decorators/current-user.decorator.js';
import { RequireMfa } from '../access/decorators/require-mfa.decorator.js';
import { Client, type ClientInfo } from '../core/http/client-info.decorator.js';
import { AuthRateLimit } from '../throttling/auth-rate-limit.decorator.js';
import { ChangeEmailDto } from './dto/email-flows.dto.js';
import { EmailChange } from './email-change.service.js';

@ApiTags('users')
@ApiAnyCredential()
@Controller('users/me')
export class EmailChangeController {
  constructor(private readonly emailChange: EmailChange) {}

  @AuthRateLimit()
  @RequireMfa()
  @Post('email')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ operationId: 'requestEmailChange', summary: 'Ask to change the account address: a confirmation goes to the new one, a notice to the current one' })
  @ApiAcceptedResponse({ description: 'Accepted; the same answer when the new address is taken (its owner is told instead)' })
  @ApiBadRequestResponse({ description: 'Invalid address or unknown field' })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credential' })
  @ApiForbiddenResponse({ description: 'AUTH_WRONG_PASSWORD; AUTH_MFA_REQUIRED when the account has MFA and this sign-in did not use it; or a cookie request without a valid X-CSRF-Token header' })
  @ApiNotFoundResponse({ description: 'Email flows are off (EMAIL_FLOWS=off)' })
  request(@CurrentUser() principal: AuthUser, @Body() body: ChangeEmailDto, @Client() client: ClientInfo): Promise<void> {
    return this.emailChange.request(principal, body.newEmail, body.currentPassword, client);
  }
}
