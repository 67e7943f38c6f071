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
}
