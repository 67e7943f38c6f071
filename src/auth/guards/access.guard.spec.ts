import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { AuthUser } from '../../access/auth-user.js';
import { ISSUES_CREDENTIALS_KEY } from '../../access/decorators/issues-credentials.decorator.js';
import { IS_PUBLIC_KEY } from '../../access/decorators/public.decorator.js';
import { ROLES_KEY } from '../../access/decorators/roles.decorator.js';
import { Role } from '../../access/role.enum.js';
import type { AppConfig } from '../../core/config/app.config.js';
import { AppError } from '../../core/http/app-error.js';
import type { Authenticator } from '../authenticator.js';
import { AccessGuard } from './access.guard.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { MfaGuard } from './mfa.guard.js';
import { RolesGuard } from './roles.guard.js';
import { RoutePolicies } from './route-policies.js';
import { SameSiteGuard } from './same-site.guard.js';

const principal = (overrides: Partial<AuthUser> = {}): AuthUser => ({
  userId: 'u1', role: Role.User, sessionId: 's1', via: 'bearer', expiresAt: 2e9, amr: ['pwd'], mfa: false, ...overrides,
});

type Request = { user?: AuthUser; headers: Record<string, string>; protocol: string; host: string };

function contextFor(request: Request, metadata: Record<string, unknown>): ExecutionContext {
  const handler = () => undefined;
  for (const [key, value] of Object.entries(metadata)) Reflect.defineMetadata(key, value, handler);
  // Nest's own context, as the router makes it for a route: (request, reply, next) and the handler.
  return new ExecutionContextHost([request, {}, () => undefined], class {}, handler);
}

/** The global guard over an Authenticator that answers `answer` and counts its calls. */
function accessGuard(answer: () => AuthUser | Promise<AuthUser>) {
  const calls = { authenticate: 0 };
  const authenticator = { authenticate: () => ((calls.authenticate += 1), answer()) } as unknown as Authenticator;
  const policies = new RoutePolicies(new Reflector());
  const guard = new AccessGuard(
    policies,
    new SameSiteGuard(policies, { corsOrigins: [] } as unknown as AppConfig),
    new JwtAuthGuard(policies, authenticator),
    new RolesGuard(policies),
    new MfaGuard(policies, { mfaRequiredForAdmins: false }),
  );
  return { guard, calls };
}

const request = (headers: Record<string, string> = {}): Request => ({ headers, protocol: 'https', host: 'gatehouse.test' });
const codeOf = async (run: () => unknown): Promise<string | undefined> => {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'unexpected';
  }
};

describe('AccessGuard (the four global guards as one)', () => {
  it('answers a public route without authenticating, and without a promise', () => {
    const { guard, calls } = accessGuard(() => principal());
    expect(guard.canActivate(contextFor(request(), { [IS_PUBLIC_KEY]: true }))).toBe(true);
    expect(calls.authenticate).toBe(0);
  });

  it('sets request.user, synchronously when the Authenticator has the answer at hand', () => {
    const { guard } = accessGuard(() => principal());
    const req = request();
    expect(guard.canActivate(contextFor(req, {}))).toBe(true);
    expect(req.user).toEqual(principal());
  });

  it('waits when the Authenticator has to, and then applies the role check to what it found', async () => {
    const { guard } = accessGuard(async () => principal());
    const req = request();
    const answer = guard.canActivate(contextFor(req, { [ROLES_KEY]: [Role.Admin] }));
    expect(answer).toBeInstanceOf(Promise);
    expect(await codeOf(() => answer)).toBe('AUTH_FORBIDDEN_ROLE');
    expect(req.user?.userId).toBe('u1');
  });

  it('refuses a cross-site sign-in before any authentication', async () => {
    const { guard, calls } = accessGuard(() => principal());
    const crossSite = request({ origin: 'https://evil.example' });
    expect(await codeOf(() => guard.canActivate(contextFor(crossSite, { [IS_PUBLIC_KEY]: true, [ISSUES_CREDENTIALS_KEY]: true })))).toBe('AUTH_ORIGIN');
    expect(calls.authenticate).toBe(0);
  });

  it('applies the second-factor policy after the role check', async () => {
    const { guard } = accessGuard(() => principal({ role: Role.Admin, mfa: true, amr: ['pwd'] }));
    expect(await codeOf(() => guard.canActivate(contextFor(request(), { [ROLES_KEY]: [Role.Admin] })))).toBe('AUTH_MFA_REQUIRED');
    const { guard: withOtp } = accessGuard(() => principal({ role: Role.Admin, mfa: true, amr: ['pwd', 'otp'] }));
    expect(withOtp.canActivate(contextFor(request(), { [ROLES_KEY]: [Role.Admin] }))).toBe(true);
  });

  it('passes on what the Authenticator refuses with', async () => {
    const { guard } = accessGuard(() => {
      throw new AppError('AUTH_REQUIRED', 'Authentication required');
    });
    expect(await codeOf(() => guard.canActivate(contextFor(request(), {})))).toBe('AUTH_REQUIRED');
  });
});
