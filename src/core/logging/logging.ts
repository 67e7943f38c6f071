import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';

/**
 * Credentials never reach a log line: headers that carry them, cookies being set, and any
 * password or token field in a logged object are replaced.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
];

export function loggerOptions(config: AppConfig): Params {
  return {
    // Every route. nestjs-pino's default pattern ('{/*splat}') matches only `/` under Nest 12 on
    // Fastify (middie), which silently left all other requests unlogged.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Health probes every few seconds would drown everything else. (Under middie, `url` may be
      // relative to the middleware's mount; `originalUrl` is the request's own.)
      autoLogging: {
        ignore: (request) => /^\/health(\/live|\/ready)?\/?$/.test(((request as { originalUrl?: string }).originalUrl ?? request.url ?? '').split('?')[0]),
      },
      transport: undefined,
    },
  };
}
