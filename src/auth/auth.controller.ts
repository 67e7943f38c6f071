import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse,
  ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SessionsService, type ClientInfo } from '../sessions/sessions.service.js';
import { UserResponse } from '../users/dto/user-response.dto.js';
import type { User } from '../users/user.entity.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { Client } from './decorators/client-info.decorator.js';
import { CurrentUser } from './decorators/current-user.decorator.js';
import { Public } from './decorators/public.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { SessionResponse } from './dto/session-response.dto.js';
import { PrincipalResponse, RegisterResponse, TokenResponse } from './dto/token-response.dto.js';
import { LocalAuthGuard } from './guards/local-auth.guard.js';

const UNAUTHORIZED = { description: 'Missing, invalid, expired or revoked credential' };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: RegisterResponse })
  @ApiBadRequestResponse({ description: 'Invalid email, password or unknown field' })
  @ApiConflictResponse({ description: 'Email is already registered' })
  async register(@Body() body: RegisterDto): Promise<RegisterResponse> {
    return { user: UserResponse.from(await this.auth.register(body)) };
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponse })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({ description: 'Invalid credentials (same answer for unknown email and wrong password)' })
  login(@CurrentUser() user: User, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.login(user, client);
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenResponse, description: 'A new pair; the refresh token sent is replaced' })
  @ApiUnauthorizedResponse({ description: 'Invalid, expired or revoked refresh token; reuse of a replaced one ends the session' })
  refresh(@Body() body: RefreshDto): Promise<TokenResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'This session ended: its access and refresh tokens stop working at once' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  logout(@CurrentUser() principal: AuthUser): Promise<void> {
    return this.auth.logout(principal);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Every session of the user ended' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  logoutAll(@CurrentUser() principal: AuthUser): Promise<void> {
    return this.auth.logoutEverywhere(principal);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: PrincipalResponse, description: 'The principal as the guard saw it; no database round trip' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  me(@CurrentUser() principal: AuthUser): PrincipalResponse {
    return { userId: principal.userId, role: principal.role, sessionId: principal.sessionId, via: principal.via };
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOkResponse({ type: [SessionResponse], description: "The caller's signed-in devices" })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  async listSessions(@CurrentUser() principal: AuthUser): Promise<SessionResponse[]> {
    const sessions = await this.sessions.listActive(principal.userId);
    return sessions.map((session) => SessionResponse.from(session, principal.sessionId));
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'That session ended, on every instance at once' })
  @ApiBadRequestResponse({ description: 'id is not a uuid' })
  @ApiNotFoundResponse({ description: 'No such session among the caller’s' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  revokeSession(@CurrentUser() principal: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.sessions.revoke(principal.userId, id, 'revoked_by_user');
  }
}
