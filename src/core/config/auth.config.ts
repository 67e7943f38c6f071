import { createSecretKey } from 'node:crypto';
import { configNamespace, type ConfigOf } from './config-namespace.js';
import { deriveKey } from './derive-key.js';
import { jwtSecretOf } from './dev-secret.js';

export const authConfig = configNamespace('auth', (env) => {
  /** Production refuses to boot without a strong one (see env.validation.ts). */
  const jwtSecret = jwtSecretOf(env);
  return {
    jwtSecret,
    /**
     * Imported once: a string secret handed to the JWT library is re-imported on every sign and
     * verify, which measurably slows the guarded hot path.
     */
    jwtKey: createSecretKey(Buffer.from(jwtSecret, 'utf8')),
    /** Pinned: tokens signed with any other algorithm, including `none`, are refused. */
    jwtAlgorithm: env.JWT_ALGORITHM,
    /** Encrypts generated private keys at rest (AES-256-GCM). */
    keyEncryptionKey: deriveKey(jwtSecret, 'signing key encryption v1'),
    /** Refresh tokens are HMACs under this key; only a rotation counter is stored. */
    refreshKey: deriveKey(jwtSecret, 'refresh token v1'),
    /** Encrypts TOTP secrets at rest (AES-256-GCM); like keyEncryptionKey, lost with JWT_SECRET. */
    totpSecretKey: deriveKey(jwtSecret, 'totp secret encryption v1'),
    /** Recovery codes are stored as HMACs under this key: a database leak alone reveals none. */
    recoveryCodeKey: deriveKey(jwtSecret, 'mfa recovery code v1'),
    mfaIssuer: env.MFA_ISSUER,
    mfaRequiredForAdmins: env.MFA_REQUIRED_FOR_ADMINS,
    accessTtlSeconds: env.JWT_ACCESS_TTL,
    refreshTtlSeconds: env.REFRESH_TTL,
    refreshReuseIntervalSeconds: env.REFRESH_REUSE_INTERVAL,
    /** Seconds of clock skew tolerated between instances for exp/nbf/iat. */
    clockToleranceSeconds: env.JWT_CLOCK_TOLERANCE,
    /**
     * How long after an event (a revocation, a key retirement) an access token issued before it
     * can still arrive and be valid: its lifetime, the clock skew tolerated, and a second of
     * rounding. Whatever must outlive such tokens is kept this long.
     */
    lateTokenWindowSeconds: env.JWT_ACCESS_TTL + env.JWT_CLOCK_TOLERANCE + 1,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    bcryptCost: env.BCRYPT_COST,
    adminEmail: env.ADMIN_EMAIL,
    adminPassword: env.ADMIN_PASSWORD,
  };
});

export type AuthConfig = ConfigOf<typeof authConfig>;
