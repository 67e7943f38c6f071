import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The headers every response starts with: helmet's security headers and `Cache-Control:
 * no-store` (responses carry tokens and personal data; no cache may keep them unless a route
 * sets its own Cache-Control, which then replaces this one).
 *
 * None of them depends on the request, so helmet runs once here, at start-up, and its output is
 * copied onto each reply. @fastify/helmet runs helmet per request and re-serialises the CSP
 * every time, for the same bytes.
 *
 * `tls`: whether the service is reached over HTTPS (Secure cookies in effect). Only then does
 * the CSP carry `upgrade-insecure-requests`: over plain http (a LAN host name, a dev box) it
 * makes the browser fetch Swagger UI's scripts over https, which fails, and /docs stays blank.
 */
export function responseHeaders({ tls }: { tls: boolean }): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const capture = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
    contentSecurityPolicy: {
      directives: {
        // Swagger UI loads its own script and styles from /docs; nothing comes from elsewhere.
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: tls ? [] : null,
      },
    },
  })({} as IncomingMessage, capture as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  headers['cache-control'] = 'no-store';
  return Object.freeze(headers);
}

/**
 * Sets the headers first thing, in a synchronous hook, so error answers (404, 401, 429, a
 * refused body) carry them too; whatever a route or plugin sets later wins.
 */
export function registerResponseHeaders(fastify: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
