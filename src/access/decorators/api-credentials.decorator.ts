import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiSecurity } from '@nestjs/swagger';

/**
 * Documents what the global guard accepts: any one of a Bearer token, the hybrid's access_token
 * cookie or a sid session cookie (cookie requests that change state also send X-CSRF-Token).
 */
export const ApiAnyCredential = () =>
  applyDecorators(ApiBearerAuth(), ApiCookieAuth('access_token'), ApiCookieAuth('sid'), ApiSecurity('csrf'));
