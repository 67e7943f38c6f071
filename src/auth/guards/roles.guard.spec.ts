import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '../../access/role.enum.js';
import { Roles } from '../../access/decorators/roles.decorator.js';
import { RolesGuard } from './roles.guard.js';
import { RoutePolicies } from './route-policies.js';

@Roles(Role.User)
class Controller {
  @Roles(Role.Admin)
  adminOnly() {}

  anyUser() {}
}

const contextFor = (handler: keyof Controller, role?: Role) =>
  ({
    getHandler: () => Controller.prototype[handler],
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => ({ user: role ? { role } : undefined }) }),
  }) as unknown as ExecutionContext;

describe('RolesGuard', () => {
  const guard = new RolesGuard(new RoutePolicies(new Reflector()));

  it("lets a method's @Roles win over its controller's", () => {
    expect(() => guard.canActivate(contextFor('adminOnly', Role.User))).toThrow(expect.objectContaining({ code: 'AUTH_FORBIDDEN_ROLE' }));
    expect(guard.canActivate(contextFor('adminOnly', Role.Admin))).toBe(true);
  });

  it("falls back to the controller's roles", () => {
    expect(guard.canActivate(contextFor('anyUser', Role.User))).toBe(true);
    expect(() => guard.canActivate(contextFor('anyUser', Role.Admin))).toThrow(expect.objectContaining({ code: 'AUTH_FORBIDDEN_ROLE' }));
  });

  it('refuses when nobody is authenticated', () => {
    expect(() => guard.canActivate(contextFor('adminOnly'))).toThrow(expect.objectContaining({ code: 'AUTH_REQUIRED' }));
  });
});
