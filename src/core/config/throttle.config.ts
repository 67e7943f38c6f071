import { configNamespace, type ConfigOf } from './config-namespace.js';

export const throttleConfig = configNamespace('throttle', (env) => {
  return {
    authRequestsPerMinute: env.RATE_LIMIT_AUTH,
    lockoutThreshold: env.LOCKOUT_THRESHOLD,
    lockoutMinutes: env.LOCKOUT_MINUTES,
  };
});

export type ThrottleConfig = ConfigOf<typeof throttleConfig>;
