import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '../../access/auth-user.js';
import { AppError } from '../../core/http/app-error.js';
import { RoutePolicies, type RoutePolicy } from './route-policies.js';

/** @Roles(...) on the route (a method's own wins over its controller's): the principal must hold one. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly policies: RoutePolicies) {}

  canActivate(context: ExecutionContext): boolean {
    return this.check(this.policies.of(context), context.switchToHttp().getRequest<{ user?: AuthUser }>().user);
  }

  check({ roles }: RoutePolicy, user: AuthUser | undefined): true {
    if (roles.length === 0) return true;
    if (user === undefined) throw new AppError('AUTH_REQUIRED', 'Authentication required');
    if (!roles.includes(user.role)) throw new AppError('AUTH_FORBIDDEN_ROLE', 'This route needs one of the roles: ' + roles.join(', '));
    return true;
  }
}
