import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../access/role.enum.js';
import type { AuthUser } from '../../access/auth-user.js';
import { ROLES_KEY } from '../../access/decorators/roles.decorator.js';
import { AppError } from '../../core/http/app-error.js';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    // [handler, class]: a method's own @Roles wins over its controller's.
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user === undefined) throw new AppError('AUTH_REQUIRED', 'Authentication required');
    if (!roles.includes(user.role)) throw new AppError('AUTH_FORBIDDEN_ROLE', 'This route needs one of the roles: ' + roles.join(', '));
    return true;
  }
}
