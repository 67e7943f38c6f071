import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hasSecondFactor, type AuthUser } from '../../access/auth-user.js';
import { REQUIRE_MFA_KEY } from '../../access/decorators/require-mfa.decorator.js';
import { ROLES_KEY } from '../../access/decorators/roles.decorator.js';
import { Role } from '../../access/role.enum.js';
import { authConfig, type AuthConfig } from '../../core/config/auth.config.js';
import { AppError } from '../../core/http/app-error.js';

/**
 * The second-factor policy, after authentication and the role check, from the principal alone:
 * - a route marked @RequireMfa() and every admin route refuse a credential of an account with MFA
 *   whose sign-in did not include it (amr without "otp");
 * - with MFA_REQUIRED_FOR_ADMINS, admin routes refuse an admin whose account has no MFA yet (the
 *   enrolment routes are not admin routes, so the way to enrol stays open).
 */
@Injectable()
export class MfaGuard implements CanActivate {
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: Pick<AuthConfig, 'mfaRequiredForAdmins'>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (principal === undefined) return true;
    const { adminRoute, stepUp } = this.policyOf(context.getClass(), context.getHandler());
    if (adminRoute && this.config.mfaRequiredForAdmins && !principal.mfa) {
      throw new AppError('AUTH_MFA_REQUIRED', 'Admins must enable two-factor authentication first (POST /auth/mfa/totp/setup)');
    }
    if (stepUp && principal.mfa && !hasSecondFactor(principal)) {
      throw new AppError('AUTH_MFA_REQUIRED', 'Sign in again with your second factor to do this');
    }
    return true;
  }

  /** Route metadata never changes: read once per route, not on every request of the hot path. */
  private policyOf(controller: object, handler: object): RoutePolicy {
    let byHandler = this.policies.get(controller);
    if (!byHandler) this.policies.set(controller, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) {
      const targets = [handler, controller] as Array<() => void>;
      const adminRoute = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets)?.includes(Role.Admin) === true;
      policy = { adminRoute, stepUp: adminRoute || this.reflector.getAllAndOverride<boolean | undefined>(REQUIRE_MFA_KEY, targets) === true };
      byHandler.set(handler, policy);
    }
    return policy;
  }
}

interface RoutePolicy {
  adminRoute: boolean;
  stepUp: boolean;
}
