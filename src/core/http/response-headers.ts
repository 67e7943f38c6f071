import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** The two sets of headers a response starts with: one for API answers, one for pages. */
export interface ResponseHeaderSets {
  /** Every answer that is not a page: JSON bodies, errors, 404s, /docs-json. */
  readonly api: Readonly<Record<string, string>>;
  /** HTML and its assets (Swagger UI under the documents prefix): helmet's full set. */
  readonly document: Readonly<Record<string, string>>;
}

/**
 * Security headers, computed once at start-up (none depends on the request), with
 * `Cache-Control: no-store` on both sets (responses carry tokens and personal data; a route that
 * sets its own Cache-Control replaces it).
 *
 * API answers get the set OWASP's REST Security Cheat Sheet lists for API responses: no-store,
 * `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` (a JSON body opened as a
 * document loads nothing and cannot be framed), HSTS, `nosniff` and `X-Frame-Options: DENY`.
 * helmet's other headers (COOP, Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies, X-XSS-Protection, CORP, Referrer-Policy) govern what an HTML
 * page may load, link to or share; sent with every JSON answer they only cost bytes and time, so
 * they go with pages only, where helmet sends them all.
 *
 * `tls`: whether the service is reached over HTTPS (Secure cookies in effect). Only then
 * - is Strict-Transport-Security sent: RFC 6797 §7.2 forbids it on responses over non-secure
 *   transport (browsers ignore it there anyway);
 * - does the pages' CSP carry `upgrade-insecure-requests`: over plain http (a LAN host name, a
 *   dev box) it makes the browser fetch Swagger UI's scripts over https, which fails, and /docs
 *   stays blank.
 */
export function responseHeaders({ tls }: { tls: boolean }): ResponseHeaderSets {
  const document = helmetHeaders(tls);
  const api: Record<string, string> = {
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    ...(tls ? { 'strict-transport-security': document['strict-transport-security'] } : {}),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
  return Object.freeze({ api: Object.freeze(api), document: Object.freeze({ ...document, 'cache-control': 'no-store' }) });
}

/** What helmet would set on a page, captured once. */
function helmetHeaders(tls: boolean): Record<string, string> {
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
    strictTransportSecurity: tls,
  })({} as IncomingMessage, capture as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Sets the headers first thing, in a synchronous hook, so error answers (404, 401, 429, a
 * refused body) carry them too; whatever a route or plugin sets later wins. Requests under
 * `documentsPrefix` (Swagger UI's page and assets, e.g. `/docs/`) get the page set; `/docs-json`
 * and everything else the API set.
 */
export function registerResponseHeaders(fastify: FastifyInstance, sets: ResponseHeaderSets, documentsPrefix: string | null): void {
  const { api, document } = sets;
  const page = documentsPrefix === null ? null : documentsPrefix.replace(/\/+$/, '');
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(page !== null && isUnder(request.url, page) ? document : api);
    done();
  });
}

/** `/docs`, `/docs/…` and `/docs?…`, but not `/docs-json` or `/docsfoo`. */
function isUnder(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const next = url.charCodeAt(prefix.length);
  return Number.isNaN(next) || next === 0x2f /* / */ || next === 0x3f /* ? */;
}
