import { Inject, Injectable } from '@nestjs/common';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { cookieConfig, type CookieConfig } from '../core/config/cookie.config.js';
import { CsrfTokens } from './csrf-tokens.js';

/**
 * Writes and clears Gatehouse's cookies with one set of attributes: HttpOnly (scripts cannot read
 * a credential), SameSite=Lax, Secure when configured, a bounded Max-Age. Only the CSRF token is
 * readable by scripts: reading it is the point.
 */
@Injectable()
export class AuthCookies {
  constructor(
    @Inject(cookieConfig.KEY) private readonly config: CookieConfig,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
    private readonly csrf: CsrfTokens,
  ) {}

  private options(maxAgeSeconds: number, path = '/', httpOnly = true): CookieSerializeOptions {
    return { ...this.config.attributes, httpOnly, path, maxAge: maxAgeSeconds };
  }

  /** The hybrid transport: the token pair as httpOnly cookies; the refresh cookie only goes to /auth. */
  setTokens(reply: FastifyReply, tokens: { accessToken: string; refreshToken: string }, sessionId: string): string {
    const { names } = this.config;
    reply.setCookie(names.accessToken, tokens.accessToken, this.options(this.auth.accessTtlSeconds));
    reply.setCookie(names.refreshToken, tokens.refreshToken, this.options(this.auth.refreshTtlSeconds, '/auth'));
    return this.setCsrf(reply, sessionId, this.auth.refreshTtlSeconds);
  }

  /** A fresh CSRF token for the session, readable by the page's scripts. */
  setCsrf(reply: FastifyReply, sessionId: string, maxAgeSeconds = this.config.absoluteTimeoutSeconds): string {
    const token = this.csrf.issue(sessionId);
    reply.setCookie(this.config.names.csrf, token, this.options(maxAgeSeconds, '/', false));
    return token;
  }

  clearAll(reply: FastifyReply): void {
    const { names } = this.config;
    for (const [name, path] of [[names.accessToken, '/'], [names.refreshToken, '/auth'], [names.csrf, '/'], [names.session, '/']]) {
      reply.clearCookie(name, { ...this.config.attributes, path, httpOnly: name !== names.csrf });
    }
  }
}
