/**
 * Whether an error means a dependency is unavailable (down, unreachable, overloaded, too slow)
 * rather than a bug: such errors are answered 503 with Retry-After, never 500.
 */
export type Dependency = 'database' | 'redis';

/** SQLSTATE classes and codes that say "the server cannot serve this now", not "bad query". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '55P03', // lock_not_available: lock_timeout
  '40P01', // deadlock_detected
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

const PG_MESSAGES = [
  /timeout exceeded when trying to connect/i, // pool acquire timeout
  /Connection terminated/i, // unexpectedly, or due to connection timeout
  /Query read timeout/i, // client-side query_timeout
  /Client has encountered a connection error and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /Client was closed and is not queryable/i,
];

const REDIS_MESSAGES = [
  /Stream isn't writeable and enableOfflineQueue options is false/i,
  /Connection is closed/i,
  /Command timed out/i,
  /Reached the max retries per request limit/i,
  /LOADING Redis is loading/i,
  /READONLY/i,
  /MISCONF/i,
];

export function unavailableDependency(error: unknown): Dependency | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const { name, message } = current;
    const code = (current as { code?: unknown }).code;
    const driverError = (current as { driverError?: unknown }).driverError;
    if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((pattern) => pattern.test(message))) return 'redis';
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return 'database';
    if (PG_MESSAGES.some((pattern) => pattern.test(message))) return 'database';
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return /redis/i.test(String((current as { stack?: string }).stack)) ? 'redis' : 'database';
    current = driverError ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}
