import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../access/role.enum.js';
import type { AuthUser } from '../../access/auth-user.js';
import { ROLES_KEY } from '../../access/decorators/roles.decorator.js';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    // [handler, class]: a method's own @Roles wins over its controller's.
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    // Returning false makes Nest answer 403 Forbidden.
    return user !== undefined && roles.includes(user.role);
  }
}
