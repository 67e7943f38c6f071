import {
  Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseGuards,
} from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiExtraModels,
  ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags,
  ApiUnauthorizedResponse, getSchemaPath,
} from '@nestjs/swagger';
import { cookieConfig, type CookieConfig } from '../core/config/cookie.config.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { AuthRateLimit } from '../throttling/auth-rate-limit.decorator.js';
import { UserResponse } from '../users/dto/user-response.dto.js';
import type { User } from '../users/user.entity.js';
import type { AuthUser } from '../access/auth-user.js';
import { AuthCookies } from './auth-cookies.js';
import { AccountLifecycle } from './account-lifecycle.service.js';
import { AuthService } from './auth.service.js';
import { CsrfTokens } from './csrf-tokens.js';
import { Client } from '../core/http/client-info.decorator.js';
import { ApiAnyCredential } from '../access/decorators/api-credentials.decorator.js';
import { CurrentUser } from '../access/decorators/current-user.decorator.js';
import { Public } from '../access/decorators/public.decorator.js';
import { IssuesCredentials } from '../access/decorators/issues-credentials.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { SessionResponse } from './dto/session-response.dto.js';
import {
  CookieLoginResponse, CsrfResponse, PRINCIPAL_RESPONSE_SCHEMA, PrincipalResponse, RegisterResponse, SessionLoginResponse, TokenResponse,
} from './dto/token-response.dto.js';
import { LocalAuthGuard } from './guards/local-auth.guard.js';
import { AcceptedResponse } from './dto/email-flows.dto.js';
import { EmailVerification } from './email-verification.service.js';
import { MfaChallengeResponse } from './dto/mfa.dto.js';
import { MfaSignIn } from './mfa-sign-in.service.js';
import { SignInResponses } from './sign-in-responses.js';
import { AppError } from '../core/http/app-error.js';
import { ErrorResponse } from '../core/http/error-response.dto.js';
import { CREDENTIAL_SCHEMES } from '../access/decorators/api-credentials.decorator.js';

const CROSS_SITE = 'Sent from another site’s page (AUTH_ORIGIN)';
const INSECURE_TRANSPORT = 'Cookies that must be Secure asked for over plain HTTP (AUTH_INSECURE_TRANSPORT): serve HTTPS, or set TRUST_PROXY behind a TLS proxy';
const EMAIL_UNVERIFIED = 'EMAIL_VERIFICATION=required and the right password for an unverified address (AUTH_EMAIL_UNVERIFIED)';
const TOKENS_OR_COOKIES = { schema: { oneOf: [{ $ref: getSchemaPath(TokenResponse) }, { $ref: getSchemaPath(CookieLoginResponse) }] } };
const TOKENS_OR_MFA = { schema: { oneOf: [TokenResponse, CookieLoginResponse, MfaChallengeResponse].map((model) => ({ $ref: getSchemaPath(model) })) } };

@ApiTags('auth')
@ApiExtraModels(TokenResponse, CookieLoginResponse, SessionLoginResponse, MfaChallengeResponse)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly lifecycle: AccountLifecycle,
    private readonly sessions: SessionsService,
    private readonly cookies: AuthCookies,
    private readonly csrf: CsrfTokens,
    private readonly responses: SignInResponses,
    private readonly mfa: MfaSignIn,
    @Inject(cookieConfig.KEY) private readonly cookieNames: Pick<CookieConfig, 'names'>,
    private readonly verification: EmailVerification,
  ) {}

  @AuthRateLimit()
  @IssuesCredentials()
  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account', description: 'A `role` in the body is refused: nobody registers as an admin.' })
  @ApiCreatedResponse({ type: RegisterResponse, description: 'EMAIL_VERIFICATION off or optional (optional: a verification mail is sent)' })
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'EMAIL_VERIFICATION=required: the same answer for a new and an already registered email' })
  @ApiBadRequestResponse({ description: 'Invalid email, password or unknown field' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Email is already registered (USER_EMAIL_TAKEN; not with EMAIL_VERIFICATION=required)' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: CROSS_SITE })
  async register(
    @Body() body: RegisterDto,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisterResponse | AcceptedResponse> {
    // Email verification (email-verification.service.ts): `required` must not reveal taken addresses.
    if (this.verification.required) {
      reply.status(HttpStatus.ACCEPTED);
      return this.verification.registerQuietly(body, client);
    }
    const user = await this.auth.register(body, client);
    await this.verification.registered(user, client);
    return { user: UserResponse.from(user) };
  }

  @AuthRateLimit()
  @IssuesCredentials()
  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in for tokens (or token cookies)' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ ...TOKENS_OR_MFA, description: 'Tokens in the body, or with `transport: "cookie"` as httpOnly cookies; with MFA on, `{ mfaRequired: true, mfaToken }` and no credential' })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid credentials: the same answer for an unknown email and a wrong password (AUTH_INVALID_CREDENTIALS); disabled account (AUTH_ACCOUNT_DISABLED)' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: `${CROSS_SITE}; ${EMAIL_UNVERIFIED}; with \`transport: "cookie"\`: ${INSECURE_TRANSPORT}` })
  async login(
    @CurrentUser() user: User,
    @Client() client: ClientInfo,
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | CookieLoginResponse | MfaChallengeResponse> {
    if (body.transport === 'cookie') this.cookies.assertCookiesDeliverable(request);
    // MFA: the password is right, but the account wants its second factor first (POST /auth/mfa/verify).
    const challenge = await this.mfa.challengeFor(user, body.transport === 'cookie' ? 'cookie' : 'token', client);
    if (challenge) return challenge;
    return this.responses.tokens(reply, user, client, body.transport);
  }

  @AuthRateLimit()
  @IssuesCredentials()
  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair', description: 'Send the refresh token in the body, or (cookie transport) send no body: the refresh_token cookie and X-CSRF-Token are read instead.' })
  // Either the token in the body (no credential), or the refresh cookie (paired with CSRF in swagger.ts).
  @ApiSecurity(CREDENTIAL_SCHEMES.refreshTokenCookie)
  @ApiSecurity({})
  @ApiBody({ type: RefreshDto, required: false })
  @ApiOkResponse({ ...TOKENS_OR_COOKIES, description: 'A new pair; the refresh token sent is replaced. Sent as a cookie, answered with cookies.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid, expired or revoked refresh token; reuse of a replaced one ends the session (AUTH_REFRESH_INVALID, AUTH_REFRESH_REUSED)' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: CROSS_SITE })
  async refresh(
    @Body() body: RefreshDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | CookieLoginResponse> {
    if (body.refreshToken !== undefined) return this.auth.refresh(body.refreshToken, client);
    const fromCookie = request.cookies[this.cookieNames.names.refreshToken];
    const sessionId = fromCookie === undefined ? null : this.auth.refreshTokenSession(fromCookie);
    if (sessionId === null) return this.auth.refresh(undefined, client);
    // A cookie rides along on cross-site requests; the CSRF header proves the page is ours.
    if (!this.csrf.verify(request, sessionId)) throw new AppError('AUTH_CSRF', 'Missing or invalid CSRF token');
    return this.responses.asCookies(reply, await this.auth.refresh(fromCookie, client));
  }

  @AuthRateLimit()
  @IssuesCredentials()
  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('session/login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in to a cookie session', description: 'Sets the httpOnly `sid` cookie: in Swagger UI, run this, then paste `csrfToken` under csrf in Authorize.' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(SessionLoginResponse) }, { $ref: getSchemaPath(MfaChallengeResponse) }] },
    description: 'Sets the `sid` session cookie (HttpOnly, SameSite=Lax) and the readable `csrf_token` cookie; with MFA on, `{ mfaRequired: true, mfaToken }` and no cookie',
  })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid credentials (AUTH_INVALID_CREDENTIALS), disabled account' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: `${CROSS_SITE}; ${EMAIL_UNVERIFIED}; ${INSECURE_TRANSPORT}` })
  async sessionLogin(
    @CurrentUser() user: User,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionLoginResponse | MfaChallengeResponse> {
    this.cookies.assertCookiesDeliverable(request);
    // MFA: no session yet; POST /auth/mfa/verify creates it once the second factor is proven.
    const challenge = await this.mfa.challengeFor(user, 'session', client);
    if (challenge) return challenge;
    return this.responses.cookieSession(request, reply, user, client);
  }

  @Post('session/logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End this session and clear its cookies' })
  @ApiAnyCredential()
  @ApiNoContentResponse({ description: 'The session is deleted from the store and its cookies cleared' })
  sessionLogout(
    @CurrentUser() principal: AuthUser,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    return this.logout(principal, client, request, reply);
  }

  @Get('csrf')
  @ApiOperation({ summary: 'Get a CSRF token for this session' })
  @ApiAnyCredential()
  @ApiOkResponse({ type: CsrfResponse, description: 'A CSRF token for this session, also set as the readable `csrf_token` cookie' })
  issueCsrf(@CurrentUser() principal: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): CsrfResponse {
    return { csrfToken: this.cookies.setCsrf(reply, principal.sessionId) };
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out this session' })
  @ApiAnyCredential()
  @ApiNoContentResponse({ description: 'This session ended: its access and refresh tokens stop working at once; cookies are cleared' })
  async logout(
    @CurrentUser() principal: AuthUser,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    // A cookie session also leaves @fastify/session's hands (no cookie re-issued for it).
    if (principal.via === 'session') await request.session.destroy();
    await this.auth.logout(principal, client);
    if (principal.via !== 'bearer') this.cookies.clearAll(reply);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out everywhere' })
  @ApiAnyCredential()
  @ApiNoContentResponse({ description: 'Every session of the user ended' })
  logoutAll(@CurrentUser() principal: AuthUser, @Client() client: ClientInfo): Promise<void> {
    return this.lifecycle.logoutEverywhere(principal, client);
  }

  @Get('me')
  @ApiOperation({ summary: 'Who am I, as the guard sees it' })
  @ApiAnyCredential()
  @ApiOkResponse({ type: PrincipalResponse, description: 'The principal as the guard saw it; no database round trip' })
  @RouteSchema({ response: { 200: PRINCIPAL_RESPONSE_SCHEMA } })
  me(@CurrentUser() principal: AuthUser): PrincipalResponse {
    return { userId: principal.userId, role: principal.role, sessionId: principal.sessionId, via: principal.via, amr: principal.amr, mfa: principal.mfa };
  }

  @Get('sessions')
  @ApiOperation({ summary: 'List my signed-in sessions' })
  @ApiAnyCredential()
  @ApiOkResponse({ type: [SessionResponse], description: "The caller's signed-in devices" })
  async listSessions(@CurrentUser() principal: AuthUser): Promise<SessionResponse[]> {
    const sessions = await this.sessions.listActive(principal.userId);
    return sessions.map((session) => SessionResponse.from(session, principal.sessionId));
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of my sessions' })
  @ApiAnyCredential()
  @ApiNoContentResponse({ description: 'That session ended, on every instance at once' })
  @ApiBadRequestResponse({ description: 'id is not a uuid' })
  @ApiNotFoundResponse({ description: 'No such session among the caller’s (SESSION_NOT_FOUND)' })
  @ApiParam({ name: 'id', format: 'uuid', example: '00000000-0000-4000-8000-000000000000', description: 'A session id: `id` in GET /auth/sessions, or `sessionId` in a login response' })
  revokeSession(
    @CurrentUser() principal: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    return this.auth.revokeSession(principal, id, client);
  }

}
