import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse,
  ApiOkResponse, ApiOperation, ApiTags,
} from '@nestjs/swagger';
import { IssuesCredentials } from '../access/decorators/issues-credentials.decorator.js';
import { Public } from '../access/decorators/public.decorator.js';
import { Client, type ClientInfo } from '../core/http/client-info.decorator.js';
import { AuthRateLimit } from '../throttling/auth-rate-limit.decorator.js';
import { UserResponse } from '../users/dto/user-response.dto.js';
import { AccountRecovery } from './account-recovery.service.js';
import { EmailAddressDto, EmailTokenDto, ResetPasswordDto } from './dto/email-flows.dto.js';
import { RegisterResponse } from './dto/token-response.dto.js';
import { EmailChange } from './email-change.service.js';
import { EmailVerification } from './email-verification.service.js';

const BAD_LINK = { description: 'EMAIL_TOKEN_INVALID (unknown, used, for another purpose, or the account changed since) or EMAIL_TOKEN_EXPIRED' };
const FLOW_OFF = { description: 'This flow is switched off (EMAIL_FLOWS=off, or EMAIL_VERIFICATION=off for verification)' };

/** The links mailed by Gatehouse come back here (through the front end at APP_URL). */
@ApiTags('auth')
@Public()
@Controller('auth')
export class EmailFlowsController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly recovery: AccountRecovery,
    private readonly emailChange: EmailChange,
  ) {}

  @AuthRateLimit()
  @Post('email/verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'verifyEmail', summary: 'Confirm the account address with the token of a verification mail' })
  @ApiOkResponse({ type: RegisterResponse, description: '`user.emailVerified` is true' })
  @ApiBadRequestResponse(BAD_LINK)
  @ApiNotFoundResponse(FLOW_OFF)
  async verify(@Body() body: EmailTokenDto, @Client() client: ClientInfo): Promise<RegisterResponse> {
    return { user: UserResponse.from(await this.verification.verify(body.token, client)) };
  }

  @AuthRateLimit()
  @Post('email/verify/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ operationId: 'resendVerificationEmail', summary: 'Send a new verification link (always 202: nothing is sent for unknown or verified addresses)' })
  @ApiAcceptedResponse({ description: 'Accepted; the answer says nothing about the address' })
  @ApiNotFoundResponse(FLOW_OFF)
  resend(@Body() body: EmailAddressDto, @Client() client: ClientInfo): void {
    this.verification.resend(body.email, client);
  }

  @AuthRateLimit()
  @Post('password/forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ operationId: 'forgotPassword', summary: 'Mail a single-use password reset link (always 202, same timing for unknown addresses)' })
  @ApiAcceptedResponse({ description: 'Accepted; the answer says nothing about the address' })
  @ApiNotFoundResponse(FLOW_OFF)
  forgot(@Body() body: EmailAddressDto, @Client() client: ClientInfo): void {
    this.recovery.forgot(body.email, client);
  }

  // A page on another site must not be able to push a reset (or an address change) through a browser.
  @IssuesCredentials()
  @AuthRateLimit()
  @Post('password/reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'resetPassword', summary: 'Set a new password with the token of a reset mail; every session of the account ends' })
  @ApiNoContentResponse({ description: 'Changed; every session of the account ended on every instance; the link is spent' })
  @ApiBadRequestResponse({ description: `${BAD_LINK.description}; or VALIDATION_FAILED (password policy)` })
  @ApiNotFoundResponse(FLOW_OFF)
  reset(@Body() body: ResetPasswordDto, @Client() client: ClientInfo): Promise<void> {
    return this.recovery.reset(body.token, body.newPassword, client);
  }

  @IssuesCredentials()
  @AuthRateLimit()
  @Post('email/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'confirmEmailChange', summary: 'Make the new address of an email change take effect, with the token mailed to it' })
  @ApiOkResponse({ type: RegisterResponse, description: 'The user with the new address' })
  @ApiBadRequestResponse(BAD_LINK)
  @ApiConflictResponse({ description: 'USER_EMAIL_TAKEN: the address was taken by another account meanwhile' })
  @ApiNotFoundResponse(FLOW_OFF)
  async confirm(@Body() body: EmailTokenDto, @Client() client: ClientInfo): Promise<RegisterResponse> {
    return { user: UserResponse.from(await this.emailChange.confirm(body.token, client)) };
  }
}
