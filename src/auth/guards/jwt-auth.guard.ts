import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { cookieConfig, type CookieConfig } from '../../core/config/cookie.config.js';
import { KeyRing } from '../../keys/key-ring.service.js';
import { RevocationList } from '../../sessions/revocation-list.js';
import { bearerToken, cookieToken } from '../access-token.js';
import type { AuthUser } from '../../access/auth-user.js';
import { CsrfTokens } from '../csrf-tokens.js';
import { IS_PUBLIC_KEY } from '../../access/decorators/public.decorator.js';
import { keepSessionAlive, sessionPrincipal } from '../session-principal.js';
import { JWT_STRATEGY, REQUEST_KEY_RING } from '../strategies/jwt.strategy.js';
import { AppError } from '../../core/http/app-error.js';

/** How many verified tokens an instance remembers; the oldest is forgotten first. */
const VERIFIED_TOKEN_CAPACITY = 10_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type AuthRequest = FastifyRequest & { user?: AuthUser; [REQUEST_KEY_RING]?: KeyRing };

/**
 * The one global guard: every route needs a credential unless it is `@Public()`, and any of the
 * three is accepted, in this order: `Authorization: Bearer`, the hybrid's `access_token` cookie,
 * a signed-in `sid` session cookie. `@CurrentUser()` gets the same principal shape for all.
 *
 * passport-jwt verifies a token the first time it is seen. The result is remembered, keyed by the
 * exact token string, so later requests skip Passport's per-request machinery and the signature
 * check. Expiry and revocation are still checked on every request, against memory only: no
 * database or network call is made while the revocation list is in sync.
 *
 * A request authenticated by a cookie that changes state must carry a CSRF token; Bearer requests
 * need none, as no browser attaches that header on its own.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private readonly verified = new Map<string, AuthUser>();

  constructor(
    private readonly reflector: Reflector,
    private readonly revocation: RevocationList,
    private readonly csrf: CsrfTokens,
    private readonly keys: KeyRing,
    @Inject(cookieConfig.KEY) private readonly cookies: CookieConfig,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthRequest>();
    const principal = await this.authenticate(context, request);
    const revoked = this.revocation.inSync ? this.revocation.isRevoked(principal) : await this.revocation.isRevokedInDatabase(principal);
    if (revoked) throw new AppError('AUTH_SESSION_ENDED', 'Session has ended');
    if (principal.via !== 'bearer' && !SAFE_METHODS.has(request.method) && !this.csrf.verify(request, principal.sessionId)) {
      throw new AppError('AUTH_CSRF', 'Missing or invalid CSRF token');
    }
    request.user = principal;
    return true;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error instanceof AppError ? error : new AppError('AUTH_TOKEN_INVALID', 'Invalid credentials');
    if (!user) {
      throw info instanceof Error && info.name === 'TokenExpiredError'
        ? new AppError('AUTH_TOKEN_EXPIRED', 'Access token expired')
        : new AppError('AUTH_TOKEN_INVALID', 'Missing or invalid access token');
    }
    return user;
  }

  private async authenticate(context: ExecutionContext, request: AuthRequest): Promise<AuthUser> {
    const bearer = bearerToken(request);
    const token = bearer ?? cookieToken(request, this.cookies.names.accessToken);
    if (token !== null) {
      const principal = await this.verifyToken(context, request, token);
      return bearer !== null ? principal : { ...principal, via: 'cookie-jwt' };
    }
    const session = sessionPrincipal(request);
    if (session === null) throw new AppError('AUTH_REQUIRED', 'Authentication required');
    if (session.expiresAt <= Date.now() / 1000) throw new AppError('AUTH_SESSION_EXPIRED', 'Session expired');
    keepSessionAlive(request);
    return session;
  }

  private async verifyToken(context: ExecutionContext, request: AuthRequest, token: string): Promise<AuthUser> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (known.expiresAt > Date.now() / 1000) return known;
      this.verified.delete(token);
      throw new AppError('AUTH_TOKEN_EXPIRED', 'Access token expired');
    }
    request[REQUEST_KEY_RING] = this.keys;
    await super.canActivate(context);
    const principal = request.user as AuthUser;
    if (this.verified.size >= VERIFIED_TOKEN_CAPACITY) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, principal);
    return principal;
  }
}
