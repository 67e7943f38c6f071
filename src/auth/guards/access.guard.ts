import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../../access/auth-user.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { MfaGuard } from './mfa.guard.js';
import { RolesGuard } from './roles.guard.js';
import { RoutePolicies, type RoutePolicy } from './route-policies.js';
import { SameSiteGuard } from './same-site.guard.js';

type GuardedRequest = FastifyRequest & { user?: AuthUser };

/**
 * The one global guard: SameSiteGuard, JwtAuthGuard, RolesGuard and MfaGuard, in that order,
 * as one guard. Registered as four, every route paid Nest's guard machinery four times over
 * (a call, a metadata lookup and a switchToHttp each, and a promise for the authentication);
 * here the route's policy is looked up once and a request that needs no waiting is answered
 * without a promise. The four stay what a feature module puts in `@UseGuards(...)`, and their
 * checks are the very ones called here.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicies,
    private readonly sameSite: SameSiteGuard,
    private readonly authentication: JwtAuthGuard,
    private readonly roles: RolesGuard,
    private readonly mfa: MfaGuard,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.of(context);
    // The handler's first argument, which is what switchToHttp().getRequest() returns: that call
    // makes three closures and copies them onto the context, on every request.
    const request = context.getArgByIndex<GuardedRequest>(0);
    this.sameSite.check(policy, request);
    if (policy.isPublic) return this.authorise(policy, request.user);
    const principal = this.authentication.authenticate(request);
    return principal instanceof Promise ? principal.then((user) => this.authorise(policy, user)) : this.authorise(policy, principal);
  }

  private authorise(policy: RoutePolicy, user: AuthUser | undefined): true {
    this.roles.check(policy, user);
    return this.mfa.check(policy, user);
  }
}
