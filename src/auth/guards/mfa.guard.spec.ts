import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from '../../access/auth-user.js';
import { REQUIRE_MFA_KEY } from '../../access/decorators/require-mfa.decorator.js';
import { ROLES_KEY } from '../../access/decorators/roles.decorator.js';
import { Role } from '../../access/role.enum.js';
import { AppError } from '../../core/http/app-error.js';
import { MfaGuard } from './mfa.guard.js';
import { RoutePolicies } from './route-policies.js';

const principal = (overrides: Partial<AuthUser>): AuthUser => ({
  userId: 'u1', role: Role.User, sessionId: 's1', via: 'bearer', expiresAt: 2e9, amr: ['pwd'], mfa: false, ...overrides,
});

function contextFor(user: AuthUser | undefined, metadata: Record<string, unknown>): ExecutionContext {
  const handler = () => undefined;
  Reflect.defineMetadata(ROLES_KEY, metadata[ROLES_KEY], handler);
  Reflect.defineMetadata(REQUIRE_MFA_KEY, metadata[REQUIRE_MFA_KEY], handler);
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'unexpected';
  }
};

describe('MfaGuard', () => {
  const guard = (mfaRequiredForAdmins = false) => new MfaGuard(new RoutePolicies(new Reflector()), { mfaRequiredForAdmins });
  const stepUp = { [REQUIRE_MFA_KEY]: true };
  const admin = { [ROLES_KEY]: [Role.Admin] };

  it('lets accounts without MFA through a @RequireMfa() route', () => {
    expect(codeOf(() => guard().canActivate(contextFor(principal({}), stepUp)))).toBeUndefined();
  });

  it('refuses a password-only credential of an account with MFA, and accepts one with otp', () => {
    expect(codeOf(() => guard().canActivate(contextFor(principal({ mfa: true }), stepUp)))).toBe('AUTH_MFA_REQUIRED');
    expect(codeOf(() => guard().canActivate(contextFor(principal({ mfa: true, amr: ['pwd', 'otp'] }), stepUp)))).toBeUndefined();
  });

  it('applies the step-up to admin routes, and leaves unmarked routes alone', () => {
    const weakAdmin = principal({ role: Role.Admin, mfa: true });
    expect(codeOf(() => guard().canActivate(contextFor(weakAdmin, admin)))).toBe('AUTH_MFA_REQUIRED');
    expect(codeOf(() => guard().canActivate(contextFor(weakAdmin, {})))).toBeUndefined();
  });

  it('with MFA_REQUIRED_FOR_ADMINS refuses an admin without MFA on admin routes only', () => {
    const plainAdmin = principal({ role: Role.Admin });
    expect(codeOf(() => guard(true).canActivate(contextFor(plainAdmin, admin)))).toBe('AUTH_MFA_REQUIRED');
    expect(codeOf(() => guard(true).canActivate(contextFor(plainAdmin, {})))).toBeUndefined();
    expect(codeOf(() => guard(false).canActivate(contextFor(plainAdmin, admin)))).toBeUndefined();
  });

  it('does nothing on public routes (no principal)', () => {
    expect(codeOf(() => guard(true).canActivate(contextFor(undefined, admin)))).toBeUndefined();
  });
});
