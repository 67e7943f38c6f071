import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { AuthUser } from '../access/auth-user.js';
import { cookieConfig, type CookieConfig } from '../core/config/cookie.config.js';
import { unavailableDependency } from '../core/database/unavailable.js';
import { AppError } from '../core/http/app-error.js';
import { bearerCandidate, bearerToken, cookieToken } from './access-token.js';
import { CredentialPolicy } from './credential-policy.js';
import { runStrategy } from './passport/run-strategy.js';
import { keepSessionAlive, sessionPrincipal } from './session-principal.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';

/** How many verified tokens an instance remembers; the least recently used is forgotten first. */
const VERIFIED_TOKEN_CAPACITY = 10_000;

/**
 * Turns a request into its principal. Any of three credentials is accepted, in this order:
 * `Authorization: Bearer`, the hybrid's `access_token` cookie, a signed-in `sid` session cookie.
 *
 * A token is verified by the JwtStrategy (passport-jwt) the first time it is seen; the principal
 * is then remembered by the exact token string, so later requests skip the signature check.
 * Expiry, revocation and CSRF are checked on every request, against memory only while the
 * revocation list is in sync.
 *
 * The principal is kept per request, so the global guard and a route's own
 * `@UseGuards(JwtAuthGuard)` authenticate a request once between them.
 */
@Injectable()
export class Authenticator {
  /**
   * Verified tokens by their signature (short: the key is hashed on every lookup), each with the
   * exact token it was verified for, which a hit must equal in full.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKEN_CAPACITY });
  /**
   * Where this app keeps a request's principal: a property of the request under a key of its own
   * (apps sharing a process never see each other's); a WeakMap entry per request cost more.
   */
  private readonly principalKey = Symbol('gatehouse.principal');

  constructor(
    private readonly strategy: JwtStrategy,
    private readonly policy: CredentialPolicy,
    @Inject(cookieConfig.KEY) private readonly cookies: CookieConfig,
  ) {}

  /** The principal this app already established for the request, if any. */
  principalOf(request: object): AuthUser | undefined {
    return (request as Record<symbol, AuthUser | undefined>)[this.principalKey];
  }

  /**
   * The request's principal, or an AppError. A value, not a promise, whenever nothing has to be
   * waited for (a remembered token or a session, with the revocation list in sync): that is
   * nearly every request, and each promise on the way costs it a turn of the microtask queue.
   */
  authenticate(request: FastifyRequest): AuthUser | Promise<AuthUser> {
    const known = this.principalOf(request);
    if (known) return known;
    const proven = this.prove(request);
    if (proven instanceof Promise) return proven.then((principal) => this.remember(request, principal));
    return this.remember(request, proven);
  }

  private remember(request: object, principal: AuthUser): AuthUser {
    (request as Record<symbol, AuthUser | undefined>)[this.principalKey] = principal;
    return principal;
  }

  private prove(request: FastifyRequest): AuthUser | Promise<AuthUser> {
    // A token seen before is looked up as sent; only one not verified yet is parsed in full
    // (bearerToken's syntax check), and then by the strategy.
    const sent = bearerCandidate(request);
    const seen = sent !== null ? this.verified.get(signatureOf(sent)) : undefined;
    const bearer = seen !== undefined && seen.token === sent ? sent : bearerToken(request);
    const token = bearer ?? cookieToken(request, this.cookies.names.accessToken);
    if (token !== null) {
      const found = token === sent ? seen : this.verified.get(signatureOf(token));
      const entry = found !== undefined && found.token === token ? found : undefined;
      const cached = entry?.principal;
      if (cached === undefined) {
        // The strategy checks the token and applies the credential policy itself (so that
        // AuthGuard('jwt') is as strict as this guard).
        return runStrategy<AuthUser>(this.strategy, request).then(
          (principal) => {
            this.verified.set(signatureOf(token), { token, principal: { ...principal, via: 'bearer' } });
            return principal;
          },
          (failure: unknown) => {
            throw toAuthError(failure);
          },
        );
      }
      if (cached.expiresAt <= Date.now() / 1000) {
        this.verified.delete(signatureOf(token));
        throw new AppError('AUTH_TOKEN_EXPIRED', 'Access token expired');
      }
      const principal: AuthUser = bearer !== null ? cached : (entry!.fromCookie ??= { ...cached, via: 'cookie-jwt' });
      // after() spelled out: it would take a new closure on every request with a remembered token.
      const enforced = this.policy.enforce(request, principal);
      return enforced instanceof Promise ? enforced.then(() => principal) : principal;
    }
    const session = sessionPrincipal(request);
    if (session === null) throw new AppError('AUTH_REQUIRED', 'Authentication required');
    if (session.expiresAt <= Date.now() / 1000) throw new AppError('AUTH_SESSION_EXPIRED', 'Session expired');
    return after(this.policy.enforce(request, session), () => {
      keepSessionAlive(request);
      return session;
    });
  }
}

/** A token verified once: the principal it proves, as a Bearer token and (made once) as the cookie. */
interface VerifiedToken {
  readonly token: string;
  readonly principal: AuthUser;
  fromCookie?: AuthUser;
}

/** The part of a JWS after its last dot: its signature, unique to the token in practice. */
function signatureOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
}

/** `then` for a step that is usually synchronous: no promise unless `step` is one. */
function after<T>(step: void | Promise<void>, next: () => T): T | Promise<T> {
  return step instanceof Promise ? step.then(next) : next();
}

/** passport-jwt reports a bad token as a "challenge" (jsonwebtoken's error), not an exception. */
function toAuthError(failure: unknown): unknown {
  if (failure instanceof AppError) return failure;
  // The database could not be asked: 503 (retry), not 401 (which tells a client to sign in again).
  if (unavailableDependency(failure) !== undefined) return failure;
  if (failure instanceof Error && failure.name === 'TokenExpiredError') return new AppError('AUTH_TOKEN_EXPIRED', 'Access token expired');
  return new AppError('AUTH_TOKEN_INVALID', 'Missing or invalid access token');
}
