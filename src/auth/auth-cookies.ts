import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { ENVIRONMENT } from '../core/config/config.module.js';
import { cookieConfig, type CookieConfig } from '../core/config/cookie.config.js';
import type { Environment } from '../core/config/env.validation.js';
import { AppError } from '../core/http/app-error.js';
import { CsrfTokens } from './csrf-tokens.js';

/**
 * Writes and clears Gatehouse's cookies with one set of attributes: HttpOnly (scripts cannot read
 * a credential), SameSite=Lax, Secure when configured, a bounded Max-Age. Only the CSRF token is
 * readable by scripts: reading it is the point.
 */
@Injectable()
export class AuthCookies implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthCookies.name);

  constructor(
    @Inject(cookieConfig.KEY) private readonly config: CookieConfig,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly csrf: CsrfTokens,
  ) {}

  /** A production server behind a TLS proxy it does not trust sees every request as plain HTTP. */
  onApplicationBootstrap(): void {
    if (this.config.secure && this.env.NODE_ENV === 'production' && this.env.TRUST_PROXY === false) {
      this.logger.warn(
        'Cookies are Secure but TRUST_PROXY is off: behind a TLS-terminating proxy every request looks like plain HTTP and cookie sign-ins are refused; set TRUST_PROXY (or serve HTTPS directly)',
      );
    }
  }

  /**
   * A browser drops a Secure cookie set over plain HTTP (and @fastify/session does not even send
   * it), so a cookie sign-in would answer 200 and leave nobody signed in. Refuse it instead, with
   * the settings to look at. Called before the session is opened.
   */
  assertCookiesDeliverable(request: FastifyRequest): void {
    if (!this.config.secure || request.protocol === 'https') return;
    throw new AppError(
      'AUTH_INSECURE_TRANSPORT',
      'Secure cookies cannot be set on a plain-HTTP request: serve HTTPS, or behind a TLS proxy set TRUST_PROXY so X-Forwarded-Proto is believed (COOKIE_SECURE=false is for local development only)',
    );
  }

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
