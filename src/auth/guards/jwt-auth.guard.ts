import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { RevocationList } from '../../sessions/revocation-list.js';
import { bearerToken } from '../access-token.js';
import type { AuthUser } from '../auth-user.js';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator.js';
import { JWT_STRATEGY } from '../strategies/jwt.strategy.js';

/** How many verified tokens an instance remembers; the oldest is forgotten first. */
const VERIFIED_TOKEN_CAPACITY = 10_000;

type AuthRequest = FastifyRequest & { user?: AuthUser };

/**
 * The global guard: every route needs a valid credential unless it is `@Public()`.
 *
 * passport-jwt verifies a token the first time it is seen. The result is remembered, keyed by the
 * exact token string, so later requests with the same token skip Passport's per-request machinery
 * and the signature check. Expiry and revocation are still checked on every request, against
 * memory only: the guard makes no database or network call while the revocation list is in sync.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private readonly verified = new Map<string, AuthUser>();

  constructor(
    private readonly reflector: Reflector,
    private readonly revocation: RevocationList,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthRequest>();
    const token = bearerToken(request);
    let principal = token === null ? undefined : this.verified.get(token);
    if (principal === undefined) {
      await super.canActivate(context);
      principal = request.user as AuthUser;
      if (token !== null) this.remember(token, principal);
    } else if (principal.expiresAt <= Date.now() / 1000) {
      this.verified.delete(token as string);
      throw new UnauthorizedException('Access token expired');
    }

    const revoked = this.revocation.inSync ? this.revocation.isRevoked(principal) : await this.revocation.isRevokedInDatabase(principal);
    if (revoked) throw new UnauthorizedException('Session has ended');
    request.user = principal;
    return true;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error instanceof UnauthorizedException ? error : new UnauthorizedException('Invalid credentials');
    if (!user) {
      const reason = info instanceof Error && info.name === 'TokenExpiredError' ? 'Access token expired' : 'Missing or invalid access token';
      throw new UnauthorizedException(reason);
    }
    return user;
  }

  private remember(token: string, principal: AuthUser): void {
    if (this.verified.size >= VERIFIED_TOKEN_CAPACITY) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, principal);
  }
}
