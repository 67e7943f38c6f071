import type { Role } from './role.enum.js';

/** How the sign-in behind a credential was proven (RFC 8176 values): the password, then a one-time code. */
export type AuthMethod = 'pwd' | 'otp';
export const AUTH_METHODS: readonly AuthMethod[] = ['pwd', 'otp'];

/** How the request proved who it is. */
export type CredentialKind = 'bearer' | 'cookie-jwt' | 'session';

/** The principal the global guard attaches to the request; read it with `@CurrentUser()`. */
export interface AuthUser {
  userId: string;
  role: Role;
  sessionId: string;
  via: CredentialKind;
  /** Expiry of the credential, in seconds since the epoch. */
  expiresAt: number;
  /** How the sign-in was proven: `['pwd']` or `['pwd', 'otp']`. */
  amr: AuthMethod[];
  /**
   * The account had MFA enabled when this credential was issued. Carried so @RequireMfa() needs no
   * database read; it cannot be stale in the unsafe direction because enabling MFA ends every
   * other session of the account (see MfaEnrolment).
   */
  mfa: boolean;
}

/** Whether a credential's sign-in included the second factor. */
export const hasSecondFactor = (principal: Pick<AuthUser, 'amr'>): boolean => principal.amr.includes('otp');

/** The amr of a stored value (a session row, a cookie payload, a claim), or null when malformed. */
export function parseAmr(value: unknown): AuthMethod[] | null {
  const list = typeof value === 'string' ? value.split(' ') : value;
  if (!Array.isArray(list) || list.length === 0 || list.length > AUTH_METHODS.length) return null;
  if (!list.every((method) => (AUTH_METHODS as readonly unknown[]).includes(method)) || new Set(list).size !== list.length) return null;
  return list as AuthMethod[];
}
