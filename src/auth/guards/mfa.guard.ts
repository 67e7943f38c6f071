import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { hasSecondFactor, type AuthUser } from '../../access/auth-user.js';
import { authConfig, type AuthConfig } from '../../core/config/auth.config.js';
import { AppError } from '../../core/http/app-error.js';
import { RoutePolicies, type RoutePolicy } from './route-policies.js';

/**
 * The second-factor policy, after authentication and the role check, from the principal alone:
 * - a route marked @RequireMfa() and every admin route refuse a credential of an account with MFA
 *   whose sign-in did not include it (amr without "otp");
 * - with MFA_REQUIRED_FOR_ADMINS, admin routes refuse an admin whose account has no MFA yet (the
 *   enrolment routes are not admin routes, so the way to enrol stays open).
 */
@Injectable()
export class MfaGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicies,
    @Inject(authConfig.KEY) private readonly config: Pick<AuthConfig, 'mfaRequiredForAdmins'>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    return this.check(this.policies.of(context), context.switchToHttp().getRequest<{ user?: AuthUser }>().user);
  }

  check({ adminRoute, stepUp }: RoutePolicy, principal: AuthUser | undefined): true {
    if (principal === undefined) return true;
    if (adminRoute && this.config.mfaRequiredForAdmins && !principal.mfa) {
      throw new AppError('AUTH_MFA_REQUIRED', 'Admins must enable two-factor authentication first (POST /auth/mfa/totp/setup)');
    }
    if (stepUp && principal.mfa && !hasSecondFactor(principal)) {
      throw new AppError('AUTH_MFA_REQUIRED', 'Sign in again with your second factor to do this');
    }
    return true;
  }
}
