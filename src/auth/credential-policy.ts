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

  async enforce(request: Pick<FastifyRequest, 'method' | 'headers' | 'cookies'>, principal: AuthUser): Promise<void> {
    const revoked = this.revocation.inSync ? this.revocation.isRevoked(principal) : await this.revocation.isRevokedInDatabase(principal);
    if (revoked) throw new AppError('AUTH_SESSION_ENDED', 'Session has ended');
    if (principal.via !== 'bearer' && !SAFE_METHODS.has(request.method) && !this.csrf.verify(request, principal.sessionId)) {
      throw new AppError('AUTH_CSRF', 'Missing or invalid CSRF token');
    }
  }
}
