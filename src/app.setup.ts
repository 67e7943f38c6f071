import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import session from '@fastify/session';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { HttpErrorFilter } from './core/http/http-error.filter.js';
import { createValidationPipe } from './core/http/validation.js';
import { acceptJsonOnly } from './core/http/json-only.js';
import { serverLimits } from './core/http/server-limits.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';
import { cookieConfig, type CookieConfig } from './core/config/cookie.config.js';
import { loadEnvironment } from './core/config/env.validation.js';
import { trustProxyOption } from './core/config/trust-proxy.js';
import { CookieSessionStore } from './sessions/cookie-session.store.js';
import { registerAuthRateLimit } from './throttling/rate-limit.js';
import { setupSwagger } from './swagger.js';

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
  // A start-up failure is rethrown to the caller (main.ts prints one line), not logged with its
  // stack and followed by process.exit; logs buffered so far are flushed only on success.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, { bufferLogs: true, abortOnError: false, autoFlushLogs: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  acceptJsonOnly(app, { bodyLimit: env.BODY_LIMIT });
  await app.register(helmet, {
    // Swagger UI loads its own script and styles from /docs; nothing comes from elsewhere.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  await registerCookieSessions(app);
  await registerAuthRateLimit(app);
  const { corsOrigins } = app.get<AppConfig>(appConfig.KEY);
  if (corsOrigins.length > 0) {
    // Only listed origins get CORS headers at all, so credentials are never offered to others.
    app.enableCors({ origin: (origin, callback) => callback(null, origin !== undefined && corsOrigins.includes(origin)), credentials: true });
  }
  // Responses carry tokens and personal data: no cache may keep them unless a route says so.
  app.getHttpAdapter().getInstance().addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  setupSwagger(app);
  if (options.shutdownHooks) app.enableShutdownHooks();
  return app;
}

/**
 * Cookies and `request.session` (@fastify/session, express-session's counterpart) backed by
 * Gatehouse's own store, so a cookie session is a row in `sessions` like any other device.
 */
async function registerCookieSessions(app: NestFastifyApplication): Promise<void> {
  const config = app.get<CookieConfig>(cookieConfig.KEY);
  await app.register(cookie);
  await app.register(session, {
    secret: config.sessionSigningSecret,
    cookieName: config.names.session,
    store: app.get<CookieSessionStore>(CookieSessionStore),
    idGenerator: () => randomUUID(),
    // Nothing is stored (and no cookie is set) until someone signs in.
    saveUninitialized: false,
    // The idle deadline moves at most once a minute (keepSessionAlive), not on every response;
    // the absolute lifetime is enforced by the store.
    rolling: false,
    cookie: { ...config.attributes, httpOnly: true, maxAge: config.idleTimeoutSeconds * 1000 },
  });
}
