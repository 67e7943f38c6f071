/**
 * Everything a feature module needs from Gatehouse, and nothing else:
 *
 *   import { AuthModule, CurrentUser, JwtAuthGuard, RolesGuard, type AuthUser } from './index.js';
 *
 * Import AuthModule into the feature's module; every route is then protected by the global guard
 * (opt out with @Public()), or explicitly with @UseGuards(JwtAuthGuard, RolesGuard).
 */
export { AuthModule } from './auth.module.js';
export { JwtAuthGuard } from './guards/jwt-auth.guard.js';
export { RolesGuard } from './guards/roles.guard.js';
export { MfaGuard } from './guards/mfa.guard.js';
export { RequireMfa } from '../access/decorators/require-mfa.decorator.js';
export { Public } from '../access/decorators/public.decorator.js';
export { IssuesCredentials } from '../access/decorators/issues-credentials.decorator.js';
export { Roles, AdminOnly } from '../access/decorators/roles.decorator.js';
export { CurrentUser } from '../access/decorators/current-user.decorator.js';
export { ApiAnyCredential } from '../access/decorators/api-credentials.decorator.js';
export type { AuthMethod, AuthUser, CredentialKind } from '../access/auth-user.js';
export { Role } from '../access/role.enum.js';
