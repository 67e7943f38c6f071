import type { FastifyRequest } from 'fastify';
import type { Role } from '../access/role.enum.js';
import { parseAmr, type AuthMethod, type AuthUser } from '../access/auth-user.js';
import { sessionData } from '../sessions/lazy-session.plugin.js';

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
  const seenAt = sessionData(request)?.data.seenAt;
  if (now - (typeof seenAt === 'number' ? seenAt : 0) < KEEP_ALIVE_SECONDS) return;
  // Only now is request.session built (see lazySession): a minute's first request pays for it.
  request.session.seenAt = now;
  request.session.touch();
}

/**
 * The principal of a signed-in `sid` cookie session, or null when the request has no session or
 * an anonymous one. Reads the payload as stored (sessionData), not `request.session`.
 */
export function sessionPrincipal(request: FastifyRequest): AuthUser | null {
  const session = sessionData(request);
  if (session === null) return null;
  if (session.built) return principalOf(session.id, session.data);
  // A stored payload is replaced, never changed, when the session is saved: its principal is
  // worked out once, not on every request.
  let principal = fromStored.get(session.data);
  if (principal === undefined) {
    principal = principalOf(session.id, session.data);
    fromStored.set(session.data, principal);
  }
  return principal;
}

const fromStored = new WeakMap<object, AuthUser | null>();

function principalOf(sessionId: string, data: Readonly<Record<string, unknown>>): AuthUser | null {
  const { userId, role, expiresAt, amr, mfa } = data as Partial<FastifyRequest['session']>;
  if (typeof userId !== 'string' || typeof role !== 'string') return null;
  return {
    userId,
    role,
    sessionId,
    via: 'session',
    expiresAt: expiresAt ?? 0,
    // A payload from before MFA existed was a password sign-in.
    amr: parseAmr(amr ?? ['pwd']) ?? ['pwd'],
    mfa: mfa === true,
  };
}
