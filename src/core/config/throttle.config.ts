import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './env.validation.js';

export const throttleConfig = registerAs('throttle', () => {
  const env = loadEnvironment();
  return {
    authRequestsPerMinute: env.RATE_LIMIT_AUTH,
    lockoutThreshold: env.LOCKOUT_THRESHOLD,
    lockoutMinutes: env.LOCKOUT_MINUTES,
  };
});

export type ThrottleConfig = ReturnType<typeof throttleConfig>;
