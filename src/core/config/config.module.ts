import { Global, Module, type DynamicModule } from '@nestjs/common';
import { appConfig } from './app.config.js';
import { authConfig } from './auth.config.js';
import type { ConfigNamespace } from './config-namespace.js';
import { cookieConfig } from './cookie.config.js';
import { databaseConfig } from './database.config.js';
import type { Environment } from './env.validation.js';
import { mailConfig } from './mail.config.js';
import { throttleConfig } from './throttle.config.js';

/** The parsed environment of this app; prefer a namespace's KEY where one fits. */
export const ENVIRONMENT = Symbol('gatehouse.environment');

const NAMESPACES: ConfigNamespace<unknown>[] = [appConfig, authConfig, cookieConfig, databaseConfig, mailConfig, throttleConfig];

/** Provides ENVIRONMENT and every configuration namespace to the whole app, from one parse. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: Environment, extra: ConfigNamespace<unknown>[] = []): DynamicModule {
    const providers = [
      { provide: ENVIRONMENT, useValue: env },
      ...[...NAMESPACES, ...extra].map((namespace) => ({ provide: namespace.KEY, useValue: namespace.build(env) })),
    ];
    return { module: ConfigModule, providers, exports: providers.map((provider) => provider.provide) };
  }
}
