import type { FastifyRequest } from 'fastify';
import type { Role } from '../users/role.enum.js';
import type { AuthUser } from './auth-user.js';

/** What a signed-in cookie session carries in `request.session`. */
declare module 'fastify' {
  interface Session {
    userId?: string;
    role?: Role;
    /** Seconds since the epoch. */
    issuedAt?: number;
    /** Absolute end of the session, seconds since the epoch. */
    expiresAt?: number;
  }
}

/** The principal of a signed-in `sid` cookie session, or null when the session is anonymous. */
export function sessionPrincipal(request: FastifyRequest): AuthUser | null {
  const session = request.session as FastifyRequest['session'] | null | undefined;
  if (!session || typeof session.userId !== 'string' || typeof session.role !== 'string') return null;
  return {
    userId: session.userId,
    role: session.role,
    sessionId: session.sessionId,
    via: 'session',
    issuedAt: session.issuedAt ?? 0,
    expiresAt: session.expiresAt ?? 0,
  };
}
