import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { createValidationPipe } from './common/validation.js';
import { loadEnvironment } from './config/env.validation.js';
import { setupSwagger } from './swagger.js';

export interface CreateAppOptions {
  /** Close the app (and the embedded database) on SIGTERM/SIGINT. Off in tests. */
  shutdownHooks?: boolean;
}

/**
 * Builds the fully configured application: the same code path serves `npm start`, the built
 * server and the end-to-end tests. Throws ConfigurationError on a bad environment.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const env = loadEnvironment();
  const adapter = new FastifyAdapter({ bodyLimit: env.BODY_LIMIT });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
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
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(app.getHttpAdapter()));
  setupSwagger(app);
  if (options.shutdownHooks) app.enableShutdownHooks();
  return app;
}
