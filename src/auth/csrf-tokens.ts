import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Tokens from '@fastify/csrf';
import type { FastifyRequest } from 'fastify';
import { cookieConfig, type CookieConfig } from '../core/config/cookie.config.js';

export const CSRF_HEADER = 'x-csrf-token';

/**
 * Signed double-submit CSRF tokens (OWASP): the token is an HMAC bound to the session id, sent
 * both in a readable cookie and, by the page's own script, in the X-CSRF-Token header. Another
 * site can make the browser send the cookie but can neither read it nor mint a token for this
 * session, so the header cannot match.
 */
@Injectable()
export class CsrfTokens {
  private readonly tokens: Tokens.TokensUserinfo;

  constructor(@Inject(cookieConfig.KEY) private readonly config: CookieConfig) {
    // With hmacKey the token is an HMAC under a key derived from the session secret.
    this.tokens = Tokens({ userInfo: true, hmacKey: config.csrfKey, saltLength: 16 }) as unknown as Tokens.TokensUserinfo;
  }

  issue(sessionId: string): string {
    return this.tokens.create('gatehouse', sessionId);
  }

  /** True when the header equals the cookie and both are a token minted for this session. */
  verify(request: Pick<FastifyRequest, 'headers' | 'cookies'>, sessionId: string): boolean {
    const header = request.headers[CSRF_HEADER];
    const cookie = request.cookies?.[this.config.names.csrf];
    if (typeof header !== 'string' || typeof cookie !== 'string' || header.length !== cookie.length || header.length > 256) return false;
    return timingSafeEqual(Buffer.from(header), Buffer.from(cookie)) && this.tokens.verify('gatehouse', header, sessionId);
  }
}
