import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiExtraModels, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation,
  ApiTags, ApiUnauthorizedResponse, getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../access/auth-user.js';
import { ApiAnyCredential } from '../access/decorators/api-credentials.decorator.js';
import { CurrentUser } from '../access/decorators/current-user.decorator.js';
import { Public } from '../access/decorators/public.decorator.js';
import { RequireMfa } from '../access/decorators/require-mfa.decorator.js';
import { IssuesCredentials } from '../access/decorators/issues-credentials.decorator.js';
import { Client } from '../core/http/client-info.decorator.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { AuthRateLimit } from '../throttling/auth-rate-limit.decorator.js';
import {
  MfaCodeDto, MfaDisableDto, MfaSetupDto, MfaSetupResponse, MfaVerifyDto, RecoveryCodesResponse, secondFactorProof,
} from './dto/mfa.dto.js';
import { CookieLoginResponse, SessionLoginResponse, TokenResponse } from './dto/token-response.dto.js';
import { MfaEnrolment } from './mfa-enrolment.service.js';
import { MfaSignIn } from './mfa-sign-in.service.js';
import { SignInResponses } from './sign-in-responses.js';
import { AuthCookies } from './auth-cookies.js';

const UNAUTHORIZED = { description: 'Missing, invalid, expired or revoked credential' };
const WRONG_CODE = { description: 'AUTH_MFA_WRONG_CODE: wrong or already used code; AUTH_WRONG_PASSWORD; AUTH_CSRF; AUTH_MFA_REQUIRED' };

/** TOTP enrolment for the signed-in user, and the second half of a sign-in with MFA. */
@ApiTags('mfa')
@ApiExtraModels(TokenResponse, CookieLoginResponse, SessionLoginResponse)
@Controller('auth/mfa')
export class MfaController {
  constructor(
    private readonly enrolment: MfaEnrolment,
    private readonly signIn: MfaSignIn,
    private readonly responses: SignInResponses,
    private readonly cookies: AuthCookies,
  ) {}

  @AuthRateLimit()
  @Post('totp/setup')
  @HttpCode(HttpStatus.OK)
  @ApiAnyCredential()
  @ApiOperation({ operationId: 'mfaTotpSetup', summary: 'Start TOTP enrolment: a new secret, inactive until enabled with a code' })
  @ApiOkResponse({ type: MfaSetupResponse })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiForbiddenResponse({ description: 'AUTH_WRONG_PASSWORD, or AUTH_CSRF for a cookie credential without X-CSRF-Token' })
  @ApiConflictResponse({ description: 'MFA_ALREADY_ENABLED' })
  setup(@CurrentUser() principal: AuthUser, @Body() body: MfaSetupDto, @Client() client: ClientInfo): Promise<MfaSetupResponse> {
    return this.enrolment.setup(principal, body.currentPassword, client);
  }

  @AuthRateLimit()
  @Post('totp/enable')
  @HttpCode(HttpStatus.OK)
  @ApiAnyCredential()
  @ApiOperation({
    operationId: 'mfaTotpEnable',
    summary: 'Activate TOTP with a first code; returns 10 single-use recovery codes (shown once). Every other session of the account ends.',
  })
  @ApiOkResponse({ type: RecoveryCodesResponse })
  @ApiBadRequestResponse({ description: 'code is not 6 digits' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiForbiddenResponse(WRONG_CODE)
  @ApiConflictResponse({ description: 'MFA_ALREADY_ENABLED, or MFA_SETUP_REQUIRED (no setup started)' })
  async enable(
    @CurrentUser() principal: AuthUser,
    @Body() body: MfaCodeDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
  ): Promise<RecoveryCodesResponse> {
    const recoveryCodes = await this.enrolment.enable(principal, body.code, client);
    // A cookie session's payload says whether the account has MFA; tokens learn it at their next refresh.
    if (principal.via === 'session') request.session.mfa = true;
    return { recoveryCodes };
  }

  @AuthRateLimit()
  @RequireMfa()
  @Post('recovery-codes')
  @HttpCode(HttpStatus.OK)
  @ApiAnyCredential()
  @ApiOperation({ operationId: 'mfaRegenerateRecoveryCodes', summary: 'Replace the recovery codes (the old ones stop working), for a current TOTP code' })
  @ApiOkResponse({ type: RecoveryCodesResponse })
  @ApiBadRequestResponse({ description: 'code is not 6 digits' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiForbiddenResponse(WRONG_CODE)
  @ApiConflictResponse({ description: 'MFA_NOT_ENABLED' })
  async regenerate(@CurrentUser() principal: AuthUser, @Body() body: MfaCodeDto, @Client() client: ClientInfo): Promise<RecoveryCodesResponse> {
    return { recoveryCodes: await this.enrolment.regenerateRecoveryCodes(principal, body.code, client) };
  }

  @AuthRateLimit()
  @RequireMfa()
  @Post('totp/disable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiAnyCredential()
  @ApiOperation({ operationId: 'mfaTotpDisable', summary: 'Turn MFA off with the password and a current code (or a recovery code); every other session of the account ends' })
  @ApiNoContentResponse({ description: 'Disabled; recovery codes deleted' })
  @ApiBadRequestResponse({ description: 'Malformed body, or both/neither of code and recoveryCode' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiForbiddenResponse(WRONG_CODE)
  @ApiConflictResponse({ description: 'MFA_NOT_ENABLED' })
  async disable(
    @CurrentUser() principal: AuthUser,
    @Body() body: MfaDisableDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.enrolment.disable(principal, body.currentPassword, secondFactorProof(body), client);
    if (principal.via === 'session') request.session.mfa = false;
  }

  @AuthRateLimit()
  @IssuesCredentials()
  @Public()
  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'mfaVerify',
    summary: 'Finish a sign-in on an account with MFA: the mfaToken from the login answer and a TOTP or recovery code',
    description:
      'Answers exactly what the login route that issued the mfaToken answers on success: POST /auth/login → a token pair ' +
      '(or with transport "cookie" the hybrid cookies), POST /auth/session/login → a new sid cookie session set on this response.',
  })
  @ApiOkResponse({
    schema: { oneOf: [TokenResponse, CookieLoginResponse, SessionLoginResponse].map((model) => ({ $ref: getSchemaPath(model) })) },
    description: 'The credential of the sign-in that was started',
  })
  @ApiBadRequestResponse({ description: 'Malformed body, or both/neither of code and recoveryCode' })
  @ApiUnauthorizedResponse({ description: 'AUTH_MFA_INVALID (wrong or already used code), AUTH_MFA_TOKEN_INVALID (unknown, expired, used or voided mfaToken)' })
  async verify(
    @Body() body: MfaVerifyDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | CookieLoginResponse | SessionLoginResponse> {
    const { user, transport, factors } = await this.signIn.verify(body, client, (pending) => {
      if (pending !== 'token') this.cookies.assertCookiesDeliverable(request);
    });
    if (transport === 'session') return this.responses.cookieSession(request, reply, user, client, factors);
    return this.responses.tokens(reply, user, client, transport === 'cookie' ? 'cookie' : 'bearer', factors);
  }
}
