import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { UserResponse } from '../users/dto/user-response.dto.js';
import type { User } from '../users/user.entity.js';
import { AuthCookies } from './auth-cookies.js';
import { AuthService, PASSWORD_SIGN_IN, type SignInFactors } from './auth.service.js';
import type { TokenTransport } from './dto/login.dto.js';
import type { CookieLoginResponse, SessionLoginResponse, TokenResponse } from './dto/token-response.dto.js';

/**
 * How a finished sign-in is answered, in one place: the login routes use it directly, and
 * POST /auth/mfa/verify uses it to finish exactly the sign-in a login route started.
 */
@Injectable()
export class SignInResponses {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
  ) {}

  /** POST /auth/login: a token pair in the body, or with `transport: "cookie"` the hybrid's cookies. */
  async tokens(reply: FastifyReply, user: User, client: ClientInfo, transport: TokenTransport | undefined, factors = PASSWORD_SIGN_IN): Promise<TokenResponse | CookieLoginResponse> {
    const tokens = await this.auth.login(user, client, factors);
    return transport === 'cookie' ? this.asCookies(reply, tokens) : tokens;
  }

  /** The hybrid transport: the pair goes into httpOnly cookies instead of the body. */
  asCookies(reply: FastifyReply, tokens: TokenResponse): CookieLoginResponse {
    const csrfToken = this.cookies.setTokens(reply, tokens, tokens.sessionId);
    return { tokenType: 'Cookie', expiresIn: tokens.expiresIn, sessionId: tokens.sessionId, csrfToken, user: tokens.user };
  }

  /** POST /auth/session/login: a new `sid` cookie session, created on this very request. */
  async cookieSession(request: FastifyRequest, reply: FastifyReply, user: User, client: ClientInfo, factors: SignInFactors = PASSWORD_SIGN_IN): Promise<SessionLoginResponse> {
    // A new id at every sign-in: an id planted before login (fixation) is worth nothing after.
    await request.session.regenerate();
    const { role, issuedAt, expiresAt } = await this.auth.startCookieSession(user, request.session.sessionId, client, factors);
    Object.assign(request.session, { userId: user.id, role, issuedAt, expiresAt, seenAt: issuedAt, amr: factors.amr, mfa: factors.mfa });
    const csrfToken = this.cookies.setCsrf(reply, request.session.sessionId);
    return { user: UserResponse.from({ ...user, role }), csrfToken };
  }
}
