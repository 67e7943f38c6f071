import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** Probes every few seconds would drown everything else. */
const UNLOGGED_ROUTES = new Set(['/health', '/health/live', '/health/ready']);

/**
 * One line per request, written after the response has gone out, with what an operator needs:
 * method, route pattern (not the URL: no ids, no query strings that may carry a token), status,
 * duration, request id and the user when one signed in. Headers are not logged at all.
 *
 * A plain onResponse hook on the app's pino logger, instead of pino-http: no child logger, no
 * request serialisation and no AsyncLocalStorage per request. With the info level off (LOG_LEVEL
 * warn and above) the hook is not even registered.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route === undefined || !UNLOGGED_ROUTES.has(route)) {
      const line = requestLine(request, reply, route);
      if (reply.statusCode >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    }
    done();
  });
}

function requestLine(request: FastifyRequest, reply: FastifyReply, route: string | undefined) {
  return {
    reqId: request.id,
    method: request.method,
    // An unmatched request has no pattern: its path without the query string.
    route: route ?? request.url.split('?', 1)[0],
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 100) / 100,
    userId: userIdOf((request as { user?: unknown }).user),
  };
}

/** The guard's principal has `userId`; the login routes' user entity has `id`. */
function userIdOf(user: unknown): string | undefined {
  if (typeof user !== 'object' || user === null) return undefined;
  const { userId, id } = user as { userId?: unknown; id?: unknown };
  if (typeof userId === 'string') return userId;
  return typeof id === 'string' ? id : undefined;
}
