import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { authConfig, type AuthConfig } from '../../core/config/auth.config.js';
import { KeyRing } from '../../keys/key-ring.service.js';
import { cookieConfig, type CookieConfig } from '../../core/config/cookie.config.js';
import { Role } from '../../access/role.enum.js';
import { bearerToken, cookieToken } from '../access-token.js';
import { parseAmr, type AuthMethod, type AuthUser } from '../../access/auth-user.js';
import type { AccessTokenClaims } from '../access-token-claims.js';
import { CredentialPolicy } from '../credential-policy.js';
import { AppError } from '../../core/http/app-error.js';

export const JWT_STRATEGY = 'jwt';

const PASSWORD_ONLY: AuthMethod[] = ['pwd'];

const ROLES = new Set<unknown>(Object.values(Role));
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 128;
const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

/** The `typ` of Gatehouse access tokens (RFC 9068): no other JWT can pass for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const KID = /^[A-Za-z0-9_-]{1,64}$/;

/** The `kid` of a token's header, if it is a plausible key id; nothing else is trusted yet. */
function keyIdOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as unknown;
    const kid = (header as { kid?: unknown } | null)?.kid;
    return typeof kid === 'string' && KID.test(kid) ? kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an access token the first time the guard sees it: the key its `kid` names, the pinned
 * algorithm, `iss`, `aud`, `exp` (required) and `nbf` with a small clock tolerance, the `typ`
 * header, then the type of every claim the app relies on, so that a correctly signed but oddly
 * shaped token (a string `exp`, an array `role`) is still refused.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @Inject(authConfig.KEY) config: AuthConfig,
    @Inject(cookieConfig.KEY) cookies: CookieConfig,
    keys: KeyRing,
    private readonly policy: CredentialPolicy,
  ) {
    super({
      // The same precedence as the guard: the Authorization header, then the hybrid's cookie.
      jwtFromRequest: (request: FastifyRequest) => bearerToken(request) ?? cookieToken(request, cookies.names.accessToken),
      secretOrKeyProvider: (_request: unknown, token: string, done: (error: Error | null, key?: string) => void) => {
        const kid = keyIdOf(token);
        if (kid === undefined) return done(new Error('no usable key id'));
        keys.verificationKey(kid).then(
          (key) => (key ? done(null, key as unknown as string) : done(new Error('unknown key id'))),
          (error: Error) => done(error),
        );
      },
      algorithms: [config.jwtAlgorithm],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
      // `complete` hands validate() the header as well, for the typ check.
      jsonWebTokenOptions: { clockTolerance: config.clockToleranceSeconds, complete: true },
      // validate() needs the request to know which transport carried the token.
      passReqToCallback: true,
    });
  }

  /**
   * The token's principal, after the credential policy every principal passes (revocation, CSRF
   * for a cookie that changes state), so `AuthGuard('jwt')` is as strict as JwtAuthGuard.
   */
  async validate(
    request: FastifyRequest,
    token: { header?: { typ?: unknown }; payload?: Partial<Record<keyof AccessTokenClaims, unknown>> },
  ): Promise<AuthUser> {
    const claims = token.payload ?? {};
    const { sub, role, sid, jti, iat, exp } = claims;
    // Tokens issued before MFA existed carry neither claim: they were password sign-ins.
    const amr = claims.amr === undefined ? PASSWORD_ONLY : parseAmr(claims.amr);
    const mfa = claims.mfa ?? false;
    if (token.header?.typ !== ACCESS_TOKEN_TYPE) throw new AppError('AUTH_TOKEN_INVALID', 'Not an access token');
    if (!isText(sub) || !isText(sid) || !isText(jti) || !ROLES.has(role) || !isSeconds(iat) || !isSeconds(exp) || amr === null || typeof mfa !== 'boolean') {
      throw new AppError('AUTH_TOKEN_INVALID', 'Malformed access token');
    }
    const via = bearerToken(request) !== null ? 'bearer' : 'cookie-jwt';
    const principal: AuthUser = { userId: sub, role: role as Role, sessionId: sid, via, expiresAt: exp, amr, mfa };
    await this.policy.enforce(request, principal);
    return principal;
  }
}
