import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ISSUES_CREDENTIALS_KEY } from '../../access/decorators/issues-credentials.decorator.js';
import { IS_PUBLIC_KEY } from '../../access/decorators/public.decorator.js';
import { REQUIRE_MFA_KEY } from '../../access/decorators/require-mfa.decorator.js';
import { ROLES_KEY } from '../../access/decorators/roles.decorator.js';
import { Role } from '../../access/role.enum.js';

/** What a route's decorators ask of the guards. */
export interface RoutePolicy {
  /** @Public(): no credential needed. */
  readonly isPublic: boolean;
  /** @Roles(...): the principal needs one of these (empty: any). */
  readonly roles: readonly Role[];
  /** An admin route: MFA_REQUIRED_FOR_ADMINS applies, and it needs the second factor when the account has one. */
  readonly adminRoute: boolean;
  /** @RequireMfa() or an admin route. */
  readonly stepUp: boolean;
  /** @IssuesCredentials(): cross-site requests are refused (login CSRF). */
  readonly issuesCredentials: boolean;
}

/**
 * Every guard's reading of a route's metadata, in one place and once per route: metadata never
 * changes after start-up, so the request path pays a map lookup instead of four Reflector reads.
 * Metadata is read [handler, class], so a method's own decorator wins over its controller's.
 */
@Injectable()
export class RoutePolicies {
  private readonly byClass = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: Pick<ExecutionContext, 'getClass' | 'getHandler'>): RoutePolicy {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.byClass.get(controller);
    if (!byHandler) this.byClass.set(controller, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) {
      policy = this.read([handler, controller] as Array<() => void>);
      byHandler.set(handler, policy);
    }
    return policy;
  }

  private read(targets: Array<() => void>): RoutePolicy {
    const flag = (key: string) => this.reflector.getAllAndOverride<boolean | undefined>(key, targets) === true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const adminRoute = roles.includes(Role.Admin);
    return {
      isPublic: flag(IS_PUBLIC_KEY),
      roles,
      adminRoute,
      stepUp: adminRoute || flag(REQUIRE_MFA_KEY),
      issuesCredentials: flag(ISSUES_CREDENTIALS_KEY),
    };
  }
}
