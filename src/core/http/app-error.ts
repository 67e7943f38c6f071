import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';

/**
 * Every error Gatehouse answers with carries one of these codes, so a client can tell an expired
 * access token (refresh it) from an ended session (sign in again) without reading the message.
 * The status each code is answered with is fixed here, in one table.
 */
export const ERROR_STATUS = {
  // 400
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  BODY_TOO_DEEP: 400,
  /** A mailed link that is unknown, already used, for another purpose, or outlived by an account change. */
  EMAIL_TOKEN_INVALID: 400,
  EMAIL_TOKEN_EXPIRED: 400,
  // 401: not authenticated
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_ACCOUNT_DISABLED: 401,
  AUTH_TOKEN_INVALID: 401,
  AUTH_TOKEN_EXPIRED: 401,
  AUTH_SESSION_ENDED: 401,
  AUTH_ACCOUNT_CHANGED: 401,
  AUTH_SESSION_EXPIRED: 401,
  AUTH_REFRESH_INVALID: 401,
  AUTH_REFRESH_REUSED: 401,
  AUTH_MFA_INVALID: 401,
  AUTH_MFA_TOKEN_INVALID: 401,
  // 403: authenticated, not allowed
  FORBIDDEN: 403,
  AUTH_FORBIDDEN_ROLE: 403,
  AUTH_CSRF: 403,
  AUTH_ORIGIN: 403,
  AUTH_INSECURE_TRANSPORT: 403,
  AUTH_WRONG_PASSWORD: 403,
  AUTH_EMAIL_UNVERIFIED: 403,
  AUTH_MFA_REQUIRED: 403,
  AUTH_MFA_WRONG_CODE: 403,
  // 404, 408, 409, 413, 415, 431
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  USER_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  CONFLICT: 409,
  USER_EMAIL_TAKEN: 409,
  ADMIN_LAST_ACTIVE: 409,
  KEYS_ROTATION_UNSUPPORTED: 409,
  MFA_ALREADY_ENABLED: 409,
  MFA_NOT_ENABLED: 409,
  MFA_SETUP_REQUIRED: 409,
  PAYLOAD_TOO_LARGE: 413,
  HEADERS_TOO_LARGE: 431,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // 429
  RATE_LIMITED: 429,
  AUTH_LOCKED: 429,
  // 5xx
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The code given to an HttpException thrown without one (Nest's own, Fastify's, a library's). */
export function defaultErrorCode(status: number): ErrorCode {
  switch (status) {
    case 400: return 'BAD_REQUEST';
    case 401: return 'AUTH_REQUIRED';
    case 403: return 'FORBIDDEN';
    case 404: return 'NOT_FOUND';
    case 408: return 'REQUEST_TIMEOUT';
    case 409: return 'CONFLICT';
    case 413: return 'PAYLOAD_TOO_LARGE';
    case 415: return 'UNSUPPORTED_MEDIA_TYPE';
    case 431: return 'HEADERS_TOO_LARGE';
    case 429: return 'RATE_LIMITED';
    case 503: return 'SERVICE_UNAVAILABLE';
    default: return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
  code: ErrorCode;
}

/**
 * An error with a stable code: `throw new AppError('AUTH_TOKEN_EXPIRED', 'Access token expired')`.
 * `retryAfterSeconds` is sent as Retry-After (429, 503).
 */
export class AppError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string | string[],
    readonly retryAfterSeconds?: number,
  ) {
    const status = ERROR_STATUS[code];
    super({ statusCode: status, message, error: STATUS_CODES[status] ?? 'Error', code } satisfies ErrorBody, status);
  }
}
