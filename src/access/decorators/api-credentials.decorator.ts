import { applyDecorators } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../../core/http/error-response.dto.js';

/** The OpenAPI security scheme names (components.securitySchemes) for what the global guard accepts. */
export const CREDENTIAL_SCHEMES = {
  bearer: 'bearer',
  accessTokenCookie: 'access_token',
  sessionCookie: 'sid',
  refreshTokenCookie: 'refresh_token',
  csrfHeader: 'csrf',
} as const;

/** The credentials the guard accepts, in its order; each one alone is enough. */
export const ANY_CREDENTIAL = [CREDENTIAL_SCHEMES.bearer, CREDENTIAL_SCHEMES.accessTokenCookie, CREDENTIAL_SCHEMES.sessionCookie] as const;

/** The cookie credentials: on a state-changing request each one only counts together with X-CSRF-Token. */
export const COOKIE_CREDENTIALS: readonly string[] = [CREDENTIAL_SCHEMES.accessTokenCookie, CREDENTIAL_SCHEMES.sessionCookie, CREDENTIAL_SCHEMES.refreshTokenCookie];

/**
 * Documents a protected route (on a controller or a method): any one of a Bearer token, the
 * hybrid's access_token cookie or a sid session cookie, and the 401 it answers without one.
 * On POST/PUT/PATCH/DELETE the document pairs each cookie with the CSRF header and adds the 403
 * (see src/swagger.ts), because that depends on the HTTP method, which a decorator cannot see.
 */
export const ApiAnyCredential = () =>
  applyDecorators(
    ...ANY_CREDENTIAL.map((scheme) => ApiSecurity(scheme)),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No credential, or a malformed, expired, revoked or forged one' }),
  );
