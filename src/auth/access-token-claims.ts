import type { AuthMethod } from '../access/auth-user.js';
import type { Role } from '../access/role.enum.js';

/** The claims of a Gatehouse access token. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  /** RFC 8176 methods of the sign-in: ["pwd"] or ["pwd", "otp"]. */
  amr: AuthMethod[];
  /** The account had MFA enabled when the token was issued. */
  mfa: boolean;
}
