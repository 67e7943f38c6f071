import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../access/auth-user.js';
import { AppError } from '../core/http/app-error.js';
import { RevocationList } from '../sessions/revocation-list.js';
import { CsrfTokens } from './csrf-tokens.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What every principal must pass, however it was proven: its session has not ended (in memory
 * while the revocation list is in sync, in the database otherwise), and a cookie credential that
 * changes state carries the CSRF token of its session. Bearer requests need no CSRF token: no
 * browser attaches that header on its own.
 */
@Injectable()
export class CredentialPolicy {
  constructor(
    private readonly revocation: RevocationList,
    private readonly csrf: CsrfTokens,
  ) {}

  /**
   * Throws when the principal may not pass. Synchronous while the revocation list is in sync
   * (the usual case: every authenticated request comes through here, and a promise per request
   * costs the hot path); a promise only when the database has to be asked.
   */
  enforce(request: Pick<FastifyRequest, 'method' | 'headers' | 'cookies'>, principal: AuthUser): void | Promise<void> {
    if (!this.revocation.inSync) return this.revocation.isRevokedInDatabase(principal).then((revoked) => this.admit(request, principal, revoked));
    this.admit(request, principal, this.revocation.isRevoked(principal));
  }

  private admit(request: Pick<FastifyRequest, 'method' | 'headers' | 'cookies'>, principal: AuthUser, revoked: boolean): void {
    if (revoked) throw new AppError('AUTH_SESSION_ENDED', 'Session has ended');
    if (principal.via !== 'bearer' && !SAFE_METHODS.has(request.method) && !this.csrf.verify(request, principal.sessionId)) {
      throw new AppError('AUTH_CSRF', 'Missing or invalid CSRF token');
    }
  }
}
