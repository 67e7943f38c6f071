import type { Environment } from './env.validation.js';

type TrustProxy = boolean | string | ((address: string, hop: number) => boolean);

/**
 * Fastify's `trustProxy` for TRUST_PROXY. Fastify 5.12 ignores a bare hop count (it cannot tell
 * a proxy from a client that reaches the server directly), so a count becomes Express's rule:
 * trust the nearest `hops` addresses. Behind a load balancer that is the safer setting, because
 * `true` takes the left-most X-Forwarded-For entry, which the client itself writes.
 */
export function trustProxyOption(setting: Environment['TRUST_PROXY']): TrustProxy {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
