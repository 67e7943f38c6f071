import { randomUUID } from 'node:crypto';
import type { Level } from 'pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { HttpErrorFilter } from './core/http/http-error.filter.js';
import { acceptJsonOnly } from './core/http/json-only.js';
import { serverLimits } from './core/http/server-limits.js';
import { registerResponseHeaders, responseHeaders } from './core/http/response-headers.js';
import { validateWhereNeeded } from './core/http/validation.js';
import { createLogger } from './core/logging/logging.js';
import { PinoNestLogger } from './core/logging/pino-nest-logger.js';
import { registerRequestLog } from './core/logging/request-log.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';
import { cookieConfig, type CookieConfig } from './core/config/cookie.config.js';
import { loadEnvironment } from './core/config/env.validation.js';
import { trustProxyOption } from './core/config/trust-proxy.js';
import { CookieSessionStore } from './sessions/cookie-session.store.js';
import { lazySession } from './sessions/lazy-session.plugin.js';
import { RememberingSigner } from './sessions/remembering-signer.js';
import { registerAuthRateLimit } from './throttling/rate-limit.js';
import { DOCS_PATH, setupSwagger } from './swagger.js';

export interface CreateAppOptions {
  /** The environment to configure from (parsed once, here); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Close the app (and the embedded database) on SIGTERM/SIGINT. Off in tests. */
  shutdownHooks?: boolean;
}

/**
 * Builds the fully configured application: the same code path serves `npm start`, the built
 * server and the end-to-end tests. Throws ConfigurationError on a bad environment.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const env = loadEnvironment(options.env ?? process.env);
  // X-Forwarded-For is believed only as far as TRUST_PROXY says (request.ip, rate limits, audit).
  const adapter = new FastifyAdapter({ bodyLimit: env.BODY_LIMIT, trustProxy: trustProxyOption(env.TRUST_PROXY), ...serverLimits(env) });
  const logger = createLogger(env.LOG_LEVEL as Level | 'silent');
  // A start-up failure is rethrown to the caller (main.ts prints one line) instead of being
  // logged with its stack and followed by process.exit: logs are held until start-up succeeded.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.flushLogs();
  // The request pipeline: each step is set up once here so that a request pays as little as it can.
  const fastify = app.getHttpAdapter().getInstance();
  const { swagger } = app.get<AppConfig>(appConfig.KEY);
  registerResponseHeaders(fastify, responseHeaders({ tls: app.get<CookieConfig>(cookieConfig.KEY).secure }), swagger ? `/${DOCS_PATH}` : null);
  registerRequestLog(fastify, logger);
  acceptJsonOnly(app, { bodyLimit: env.BODY_LIMIT });
  await registerCookieSessions(app);
  await registerAuthRateLimit(app);
  const { corsOrigins } = app.get<AppConfig>(appConfig.KEY);
  if (corsOrigins.length > 0) {
    // Only listed origins get CORS headers at all, so credentials are never offered to others.
    app.enableCors({ origin: (origin, callback) => callback(null, origin !== undefined && corsOrigins.includes(origin)), credentials: true });
  }
  validateWhereNeeded(app);
  app.useGlobalFilters(new HttpErrorFilter());
  setupSwagger(app);
  if (options.shutdownHooks) app.enableShutdownHooks();
  return app;
}

/**
 * Cookies (@fastify/cookie, which lazySession registers) and `request.session` (@fastify/session,
 * express-session's counterpart) backed by Gatehouse's own store, so a cookie session is a row in
 * `sessions` like any other device. The session machinery runs only for requests that carry the
 * session cookie or use request.session.
 */
async function registerCookieSessions(app: NestFastifyApplication): Promise<void> {
  const config = app.get<CookieConfig>(cookieConfig.KEY);
  const signer = new RememberingSigner(config.sessionSigningSecret);
  const store = app.get<CookieSessionStore>(CookieSessionStore);
  await app.register(lazySession, {
    secret: signer,
    cookieName: config.names.session,
    store,
    // A signed-in browser's session, from this instance's memory, without building a Session.
    peek: (signedCookie) => {
      const { valid, value } = signer.unsign(signedCookie);
      if (!valid || value === null) return undefined;
      const data = store.peek(value);
      return data === undefined ? undefined : { id: value, data };
    },
    idGenerator: () => randomUUID(),
    // Nothing is stored (and no cookie is set) until someone signs in.
    saveUninitialized: false,
    // The idle deadline moves at most once a minute (keepSessionAlive), not on every response;
    // the absolute lifetime is enforced by the store.
    rolling: false,
    cookie: { ...config.attributes, httpOnly: true, maxAge: config.idleTimeoutSeconds * 1000 },
  });
}
