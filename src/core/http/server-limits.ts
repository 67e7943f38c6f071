import type { FastifyServerOptions } from 'fastify';
import type { Environment } from '../config/env.validation.js';
import { answerClientError } from './client-error.js';

/**
 * HTTP server bounds. Node's requestTimeout drops a request whose headers and body have not all
 * arrived in time (a client that declares a body and never sends it would otherwise hold its
 * connection forever; Fastify turns Node's default off). Node checks it only every
 * connectionsCheckingInterval (30 s by default), so that is tightened to keep the bound close.
 * During shutdown Fastify answers 503 on connections kept alive and closes idle ones.
 */
export function serverLimits(env: Pick<Environment, 'REQUEST_TIMEOUT_MS'>): Partial<FastifyServerOptions> & { http: object } {
  return {
    requestTimeout: env.REQUEST_TIMEOUT_MS,
    // Node enforces requestTimeout only when it is given at creation with a headersTimeout no
    // larger than it (60 s by default); set after creation, as Fastify does, it is ignored.
    http: {
      requestTimeout: env.REQUEST_TIMEOUT_MS,
      headersTimeout: Math.min(60_000, env.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(1000, env.REQUEST_TIMEOUT_MS),
    },
    return503OnClosing: true,
    // What the HTTP parser refuses gets the usual error body, code included.
    clientErrorHandler: answerClientError,
    forceCloseConnections: 'idle',
  };
}
