import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.setup.js';
import { ConfigurationError, loadEnvironment } from './core/config/env.validation.js';

async function bootstrap(): Promise<void> {
  const env = loadEnvironment();
  const app = await createApp({ shutdownHooks: true });
  await app.listen({ port: env.PORT, host: env.HOST });
  app.get(Logger).log(`Gatehouse listening on ${await app.getUrl()} (Swagger UI at /docs)`, 'Bootstrap');
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
