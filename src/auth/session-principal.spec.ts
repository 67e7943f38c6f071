import type { FastifyRequest } from 'fastify';
import { keepSessionAlive, sessionPrincipal } from './session-principal.js';

function requestWith(session: Record<string, unknown> | null) {
  const touched = { count: 0 };
  const full = session && { sessionId: 'sid-1', touch: () => (touched.count += 1), ...session };
  return { request: { session: full } as unknown as FastifyRequest, touched };
}

describe('cookie session principal', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('is null for an anonymous session and the principal for a signed-in one', () => {
    expect(sessionPrincipal(requestWith({}).request)).toBeNull();
    expect(sessionPrincipal(requestWith(null).request)).toBeNull();
    const { request } = requestWith({ userId: 'u1', role: 'admin', issuedAt: 10, expiresAt: 20 });
    expect(sessionPrincipal(request)).toEqual({ userId: 'u1', role: 'admin', sessionId: 'sid-1', via: 'session', expiresAt: 20, amr: ['pwd'], mfa: false });
  });

  it('moves the idle deadline at most once a minute', () => {
    const recent = requestWith({ userId: 'u1', seenAt: now() - 10 });
    keepSessionAlive(recent.request);
    expect(recent.touched.count).toBe(0);

    const idle = requestWith({ userId: 'u1', seenAt: now() - 61 });
    keepSessionAlive(idle.request);
    expect(idle.touched.count).toBe(1);
    expect(idle.request.session.seenAt).toBeGreaterThanOrEqual(now() - 1);
  });
});
