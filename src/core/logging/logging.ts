import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/**
 * Credentials never reach a log line: headers that carry them, cookies being set, and any
 * password or token field in a logged object are replaced. (The request log line carries no
 * headers at all; these paths guard whatever else gets logged.)
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-csrf-token"]',
  'headers["set-cookie"]',
  // At the top of a logged object and one level down.
  ...['password', 'currentPassword', 'newPassword', 'passwordHash', 'accessToken', 'refreshToken', 'csrfToken'].flatMap((key) => [key, `*.${key}`]),
];

/** The one pino logger of an app: Nest's own messages and the request log both go through it. */
export function createLogger(level: Level | 'silent', destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
