import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.setup.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';
import { ENVIRONMENT } from './core/config/config.module.js';
import { ConfigurationError, type Environment } from './core/config/env.validation.js';
import { DatabaseLocator } from './core/database/embedded-database.service.js';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const { port, host } = app.get<AppConfig>(appConfig.KEY);
  drainOnSignals(app, app.get<Environment>(ENVIRONMENT).SHUTDOWN_TIMEOUT);
  await app.listen({ port, host });
  new Logger('Bootstrap').log(`Gatehouse listening on ${await app.getUrl()} (Swagger UI at /docs)`);
}

/**
 * SIGTERM (and SIGINT) drain instead of cutting: stop accepting connections, answer 503 on
 * kept-alive ones, let requests in flight finish, close idle connections, then close the
 * channel, Redis and the pool, and stop the embedded database last (Nest's shutdown hooks, in
 * that order). Whatever is still running after SHUTDOWN_TIMEOUT seconds is cut and the process
 * exits with status 1.
 */
function drainOnSignals(app: NestFastifyApplication, timeoutSeconds: number): void {
  let draining = false;
  const drain = async (signal: NodeJS.Signals): Promise<void> => {
    if (draining) return;
    draining = true;
    const logger = new Logger('Shutdown');
    logger.log(`${signal} received: draining requests in flight (at most ${timeoutSeconds}s, SHUTDOWN_TIMEOUT)`);
    const server = app.getHttpServer();
    const deadline = setTimeout(() => {
      logger.warn(`Requests still running after ${timeoutSeconds}s; exiting anyway`);
      server.closeAllConnections();
      app.get(DatabaseLocator).abandon();
      process.exit(1);
    }, timeoutSeconds * 1000);
    // A connection whose response has just finished becomes idle: close it rather than wait
    // for the client's keep-alive to end.
    const idleSweeper = setInterval(() => server.closeIdleConnections(), 100);
    try {
      // Close the HTTP side first so requests in flight run against a fully working app.
      await app.getHttpAdapter().getInstance().close();
      clearInterval(idleSweeper);
      await app.close();
      logger.log('Drained; bye');
      clearTimeout(deadline);
      process.exit(0);
    } catch (error) {
      process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (received) => void drain(received));
}

bootstrap().catch((error: unknown) => {
  // A bad environment or an unreachable dependency is the operator's to fix: one readable line.
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Gatehouse failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
