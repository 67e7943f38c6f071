import { ApiProperty } from '@nestjs/swagger';
import type { AuthMethod } from '../../access/auth-user.js';
import { Role } from '../../access/role.enum.js';
import { UserResponse } from '../../users/dto/user-response.dto.js';

export class TokenResponse {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer …`' })
  accessToken: string;

  @ApiProperty({ format: 'uuid', description: 'The session (signed-in device) these tokens belong to' })
  sessionId: string;

  @ApiProperty({ description: 'Opaque; send it to POST /auth/refresh. Each use replaces it.' })
  refreshToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;

  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}

/** The hybrid transport: the tokens went into httpOnly cookies, so the body only describes them. */
export class CookieLoginResponse {
  @ApiProperty({ enum: ['Cookie'] })
  tokenType: 'Cookie';

  @ApiProperty({ description: 'Seconds until the access token cookie expires', example: 900 })
  expiresIn: number;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ description: 'Send it back as X-CSRF-Token on POST/PUT/PATCH/DELETE (also in the csrf_token cookie)' })
  csrfToken: string;

  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}

export class SessionLoginResponse {
  @ApiProperty({ type: UserResponse })
  user: UserResponse;

  @ApiProperty({ description: 'Send it back as X-CSRF-Token on POST/PUT/PATCH/DELETE (also in the csrf_token cookie)' })
  csrfToken: string;
}

export class CsrfResponse {
  @ApiProperty()
  csrfToken: string;
}

export class PrincipalResponse {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ enum: Role })
  role: Role;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ enum: ['bearer', 'cookie-jwt', 'session'] })
  via: string;

  @ApiProperty({ enum: ['pwd', 'otp'], isArray: true, description: 'How the sign-in was proven: ["pwd"] or ["pwd", "otp"]' })
  amr: AuthMethod[];

  @ApiProperty({ description: 'The account had MFA enabled when this credential was issued' })
  mfa: boolean;
}

/**
 * PrincipalResponse as a JSON schema, for Fastify's compiled serializer (fast-json-stringify):
 * GET /auth/me is what a client calls on every page and app start, and the compiled serializer
 * writes this answer in about 0.9 µs where JSON.stringify takes 1.5 µs (on the bench machine).
 * It writes only the properties listed here, so test/openapi.e2e-spec.ts holds it to the class
 * above, which the OpenAPI document is generated from.
 */
export const PRINCIPAL_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['userId', 'role', 'sessionId', 'via', 'amr', 'mfa'],
  properties: {
    userId: { type: 'string' },
    role: { type: 'string' },
    sessionId: { type: 'string' },
    via: { type: 'string' },
    amr: { type: 'array', items: { type: 'string' } },
    mfa: { type: 'boolean' },
  },
} as const;

export class RegisterResponse {
  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}
