import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/**
 * Puts the route under the per-IP limit of RATE_LIMIT_AUTH requests a minute (all such routes
 * share one budget per client). @fastify/rate-limit checks it in Fastify's onRequest hook, so an
 * over-limit request is answered 429 before its body is parsed or any password is hashed.
 */
export const AuthRateLimit = () =>
  applyDecorators(
    RouteConfig({ rateLimit: {} }),
    ApiTooManyRequestsResponse({ description: 'Over RATE_LIMIT_AUTH requests per minute from this IP, or the account is locked out (Retry-After)' }),
  );
