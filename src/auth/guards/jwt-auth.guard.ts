import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
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
 * and the signature check; expiry is still checked on every request. No database or network call
 * is made here.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private readonly verified = new Map<string, AuthUser>();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthRequest>();
    const token = bearerToken(request);
    if (token !== null) {
      const known = this.verified.get(token);
      if (known !== undefined) {
        if (!this.isUsable(known)) {
          this.verified.delete(token);
          throw new UnauthorizedException('Access token expired');
        }
        request.user = known;
        return true;
      }
    }

    await super.canActivate(context);
    if (token !== null && request.user) this.remember(token, request.user);
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

  private isUsable(principal: AuthUser): boolean {
    return principal.expiresAt > Date.now() / 1000;
  }

  private remember(token: string, principal: AuthUser): void {
    if (this.verified.size >= VERIFIED_TOKEN_CAPACITY) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, principal);
  }
}
