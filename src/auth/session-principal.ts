import type { FastifyRequest } from 'fastify';
import type { Role } from '../access/role.enum.js';
import { parseAmr, type AuthMethod, type AuthUser } from '../access/auth-user.js';

/** What a signed-in cookie session carries in `request.session`. */
declare module 'fastify' {
  interface Session {
    userId?: string;
    role?: Role;
    /** Seconds since the epoch. */
    issuedAt?: number;
    /** Absolute end of the session, seconds since the epoch. */
    expiresAt?: number;
    /** When the idle deadline was last moved, seconds since the epoch. */
    seenAt?: number;
    /** How the sign-in was proven (RFC 8176). */
    amr?: AuthMethod[];
    /** The account had MFA enabled (kept current by the MFA routes of this session). */
    mfa?: boolean;
  }
}

/** How often an active session's idle deadline (cookie expiry and stored expiry) moves. */
const KEEP_ALIVE_SECONDS = 60;

/**
 * The rolling idle timeout, at most one write a minute: moving the deadline on every request
 * would mean a store write and a new Set-Cookie per request. The change marks the session
 * modified, so @fastify/session saves it and sends the cookie with its new expiry.
 */
export function keepSessionAlive(request: FastifyRequest): void {
  const now = Math.floor(Date.now() / 1000);
  if (now - (request.session.seenAt ?? 0) < KEEP_ALIVE_SECONDS) return;
  request.session.seenAt = now;
  request.session.touch();
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
    expiresAt: session.expiresAt ?? 0,
    // A payload from before MFA existed was a password sign-in.
    amr: parseAmr(session.amr ?? ['pwd']) ?? ['pwd'],
    mfa: session.mfa === true,
  };
}
