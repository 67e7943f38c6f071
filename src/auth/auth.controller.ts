import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse,
  ApiTags, ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { UserResponse } from '../users/dto/user-response.dto.js';
import type { User } from '../users/user.entity.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { CurrentUser } from './decorators/current-user.decorator.js';
import { Public } from './decorators/public.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { PrincipalResponse, RegisterResponse, TokenResponse } from './dto/token-response.dto.js';
import { LocalAuthGuard } from './guards/local-auth.guard.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

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
  login(@CurrentUser() user: User): Promise<TokenResponse> {
    return this.auth.issueTokens(user);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: PrincipalResponse, description: 'The principal as the guard saw it; no database round trip' })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credential' })
  me(@CurrentUser() principal: AuthUser): PrincipalResponse {
    return { userId: principal.userId, role: principal.role, sessionId: principal.sessionId, via: principal.via };
  }
}
