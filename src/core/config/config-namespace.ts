import type { Environment } from './env.validation.js';

/**
 * One concern's settings, derived from the parsed environment. Injected with
 * `@Inject(authConfig.KEY) config: AuthConfig`, like @nestjs/config's registerAs namespaces.
 *
 * Written here rather than with registerAs because registerAs factories read process.env when
 * the module initialises: two apps in one process (the tests, a multi-instance check) could not
 * have different settings. Here the environment is parsed once per app, in createApp(), and each
 * namespace is built from that value.
 */
export interface ConfigNamespace<T> {
  readonly KEY: string;
  build(env: Environment): T;
}

export function configNamespace<T>(name: string, build: (env: Environment) => T): ConfigNamespace<T> {
  return { KEY: `CONFIGURATION(${name})`, build };
}

/** The settings a namespace provides: `type AuthConfig = ConfigOf<typeof authConfig>`. */
export type ConfigOf<N> = N extends ConfigNamespace<infer T> ? T : never;
