import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { appConfig, type AppConfig } from '../../core/config/app.config.js';
import { AppError } from '../../core/http/app-error.js';
import { RoutePolicies, type RoutePolicy } from './route-policies.js';

/**
 * Login CSRF: a page on another site can make the victim's browser post the attacker's
 * credentials, and the answer's cookies then sign the victim in as the attacker. Browsers send
 * `Origin` on every cross-site POST (and `Sec-Fetch-Site`), so on routes marked
 * @IssuesCredentials() a request is refused when either shows another site, unless the origin is
 * one of CORS_ORIGINS. The server's own origin (scheme and host as TRUST_PROXY lets Fastify see
 * them) passes, and so does a request with neither header (curl, mobile apps: no browser, no
 * ambient credentials to abuse). A guard, not a Fastify hook, because the routes opt in through
 * Nest metadata; the global AccessGuard runs its check first, before the password is checked.
 */
@Injectable()
export class SameSiteGuard implements CanActivate {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    private readonly policies: RoutePolicies,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.allowed = new Set(config.corsOrigins);
  }

  canActivate(context: ExecutionContext): boolean {
    return this.check(this.policies.of(context), context.switchToHttp().getRequest<FastifyRequest>());
  }

  check({ issuesCredentials }: RoutePolicy, request: FastifyRequest): true {
    if (!issuesCredentials) return true;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origin === ownOrigin(request) || this.allowed.has(origin)) return true;
      throw new AppError('AUTH_ORIGIN', 'Cross-site request refused on a sign-in route');
    }
    if (request.headers['sec-fetch-site'] === 'cross-site') throw new AppError('AUTH_ORIGIN', 'Cross-site request refused on a sign-in route');
    return true;
  }
}

function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
