import { configNamespace, type ConfigOf } from './config-namespace.js';
import { deriveKey } from './derive-key.js';
import { jwtSecretOf } from './dev-secret.js';

/**
 * Everything about cookies in one place: their names, their attributes and the keys that sign
 * them. With Secure cookies the names carry the `__Host-` prefix (browsers then refuse the
 * cookie unless it is Secure, host-only and Path=/, so a sibling subdomain cannot plant one);
 * the refresh cookie is scoped to /auth and so can only be `__Secure-`.
 */
export const cookieConfig = configNamespace('cookies', (env) => {
  const production = env.NODE_ENV === 'production';
  const secure = env.COOKIE_SECURE ?? production;
  const masterSecret = env.SESSION_SECRET ?? jwtSecretOf(env);
  const host = secure ? '__Host-' : '';
  return {
    secure,
    /** The attributes every Gatehouse cookie shares; only path, lifetime and httpOnly vary. */
    attributes: { secure, sameSite: 'lax' as const, path: '/' },
    names: {
      session: `${host}sid`,
      accessToken: `${host}access_token`,
      refreshToken: `${secure ? '__Secure-' : ''}refresh_token`,
      csrf: `${host}csrf_token`,
    },
    /** Signs the session cookie (HMAC); a distinct HKDF label from every other derived key. */
    sessionSigningSecret: deriveKey(masterSecret, 'session cookie v1').export().toString('base64url'),
    /** Keys the CSRF token HMAC. */
    csrfKey: deriveKey(masterSecret, 'csrf token v1').export(),
    idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT,
    absoluteTimeoutSeconds: env.SESSION_ABSOLUTE_TIMEOUT,
  };
});

export type CookieConfig = ConfigOf<typeof cookieConfig>;
