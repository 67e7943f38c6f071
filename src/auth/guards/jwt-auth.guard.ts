import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../../access/auth-user.js';
import { Authenticator } from '../authenticator.js';
import { RoutePolicies } from './route-policies.js';

/**
 * Every route needs a credential unless it is `@Public()`: a Bearer access token, the hybrid's
 * `access_token` cookie or a `sid` session cookie (see Authenticator). Applied to every route by
 * the global AccessGuard (which calls authenticate() below), and usable on a feature's own
 * controller as `@UseGuards(JwtAuthGuard, RolesGuard)` in any module that imports AuthModule; a
 * request is authenticated once when both apply.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicies,
    private readonly authenticator: Authenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.policies.of(context).isPublic) return true;
    const signedIn = this.authenticate(context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>());
    return signedIn instanceof Promise ? signedIn.then(() => true) : true;
  }

  /** Sets `request.user`; a promise only when the Authenticator has to wait (see there). */
  authenticate(request: FastifyRequest & { user?: AuthUser }): AuthUser | Promise<AuthUser> {
    const principal = this.authenticator.authenticate(request);
    if (principal instanceof Promise) return principal.then((user) => (request.user = user));
    return (request.user = principal);
  }
}
