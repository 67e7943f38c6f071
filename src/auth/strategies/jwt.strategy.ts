import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { authConfig, type AuthConfig } from '../../config/auth.config.js';
import { cookieConfig, type CookieConfig } from '../../config/cookie.config.js';
import { Role } from '../../users/role.enum.js';
import { bearerToken, cookieToken } from '../access-token.js';
import type { AccessTokenClaims, AuthUser } from '../auth-user.js';

export const JWT_STRATEGY = 'jwt';

const ROLES = new Set<unknown>(Object.values(Role));
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 128;
const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

/**
 * Verifies an access token the first time the guard sees it: signature with the pinned algorithm,
 * `iss`, `aud`, `exp` (required), then the type of every claim the app relies on, so that a
 * correctly signed but oddly shaped token (a string `exp`, an array `role`) is still refused.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(@Inject(authConfig.KEY) config: AuthConfig, @Inject(cookieConfig.KEY) cookies: CookieConfig) {
    super({
      // The same precedence as the guard: the Authorization header, then the hybrid's cookie.
      jwtFromRequest: (request: FastifyRequest) => bearerToken(request) ?? cookieToken(request, cookies.names.accessToken),
      secretOrKey: config.jwtKey as unknown as string,
      algorithms: [config.jwtAlgorithm],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: config.clockToleranceSeconds },
    });
  }

  validate(claims: Partial<Record<keyof AccessTokenClaims, unknown>>): AuthUser {
    const { sub, role, sid, jti, iat, exp } = claims;
    if (!isText(sub) || !isText(sid) || !isText(jti) || !ROLES.has(role) || !isSeconds(iat) || !isSeconds(exp)) {
      throw new UnauthorizedException('Malformed access token');
    }
    return { userId: sub, role: role as Role, sessionId: sid, via: 'bearer', issuedAt: iat, expiresAt: exp };
  }
}
