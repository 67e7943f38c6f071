import { configNamespace, type ConfigOf } from './config-namespace.js';
import { packageInfo } from './package-info.js';

export const appConfig = configNamespace('app', (env) => {
  return {
    name: packageInfo.name,
    version: packageInfo.version,
    env: env.NODE_ENV,
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    bodyLimit: env.BODY_LIMIT,
    corsOrigins: env.CORS_ORIGINS,
    /** Unset: the OpenAPI document names the address the server listens on. */
    publicUrl: env.PUBLIC_URL,
    swagger: env.SWAGGER ?? env.NODE_ENV !== 'production',
  };
});

export type AppConfig = ConfigOf<typeof appConfig>;
