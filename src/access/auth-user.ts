import type { Role } from './role.enum.js';

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
}
