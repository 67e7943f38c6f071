import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';
import { ConfigurationError } from './core/config/env.validation.js';

async function bootstrap(): Promise<void> {
  const app = await createApp({ shutdownHooks: true });
  const { port, host } = app.get<AppConfig>(appConfig.KEY);
  await app.listen({ port, host });
  new Logger('Bootstrap').log(`Gatehouse listening on ${await app.getUrl()} (Swagger UI at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // A bad environment is the operator's mistake: one readable line, no stack trace.
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Gatehouse failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
