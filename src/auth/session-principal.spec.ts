import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Signer } from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { peekableSessionStore, sidCookie } from '../../test/utils/peekable-session-store.js';
import { lazySession } from '../sessions/lazy-session.plugin.js';
import { keepSessionAlive, sessionPrincipal } from './session-principal.js';

const SECRET = 'a'.repeat(32);
const now = () => Math.floor(Date.now() / 1000);

/**
 * A Fastify app with the session plugin as Gatehouse registers it, fast path included: `/login`
 * stores the payload it is given, `/me` answers what the guard would see and keeps the session
 * alive as the guard does.
 */
async function sessionApp({ peeking }: { peeking: boolean }) {
  const signer = new Signer(SECRET, 'sha256');
  const { store, saved: stored, peek } = peekableSessionStore(signer);
  const app: FastifyInstance = Fastify();
  await app.register(lazySession, {
    secret: signer,
    cookieName: 'sid',
    store,
    idGenerator: () => randomUUID(),
    saveUninitialized: false,
    rolling: false,
    cookie: { secure: false, path: '/', maxAge: 600_000 },
    peek: peeking ? peek : undefined,
  });
  app.post<{ Body: Record<string, unknown> }>('/login', async (request) => {
    await request.session.regenerate();
    Object.assign(request.session, request.body);
    return { sessionId: request.session.sessionId };
  });
  app.get('/me', async (request) => {
    const principal = sessionPrincipal(request);
    if (principal !== null) keepSessionAlive(request);
    return { principal };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const login = async (payload: Record<string, unknown>) => {
    const response = await fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const { sessionId } = (await response.json()) as { sessionId: string };
    return { sessionId, cookie: sidCookie(response)! };
  };
  const me = async (sid?: string) => {
    const response = await fetch(`${base}/me`, { headers: sid ? { cookie: sid } : {} });
    return { body: (await response.json()) as { principal: unknown }, setCookie: response.headers.getSetCookie() };
  };
  return { app, login, me, stored };
}

describe.each([false, true])('cookie session principal (fast path %s)', (peeking) => {
  let session: Awaited<ReturnType<typeof sessionApp>>;
  beforeEach(async () => {
    session = await sessionApp({ peeking });
  });
  afterEach(async () => {
    await session.app.close();
  });

  it('is null without a session or for an anonymous one, and the principal for a signed-in one', async () => {
    expect((await session.me()).body.principal).toBeNull();
    const anonymous = await session.login({ theme: 'dark' });
    expect((await session.me(anonymous.cookie)).body.principal).toBeNull();
    const signedIn = await session.login({ userId: 'u1', role: 'admin', issuedAt: 10, expiresAt: 20, seenAt: now() });
    expect((await session.me(signedIn.cookie)).body.principal).toEqual({
      userId: 'u1', role: 'admin', sessionId: signedIn.sessionId, via: 'session', expiresAt: 20, amr: ['pwd'], mfa: false,
    });
  });

  it('moves the idle deadline at most once a minute', async () => {
    const recent = await session.login({ userId: 'u1', role: 'user', seenAt: now() - 10 });
    const quiet = await session.me(recent.cookie);
    expect(quiet.setCookie).toEqual([]);
    expect(session.stored.get(recent.sessionId)?.seenAt).toBe(now() - 10);

    const idle = await session.login({ userId: 'u1', role: 'user', seenAt: now() - 61 });
    const touched = await session.me(idle.cookie);
    // Saved with its new deadline, and the cookie sent again with the new expiry.
    expect(touched.setCookie.some((line) => line.startsWith('sid='))).toBe(true);
    expect(session.stored.get(idle.sessionId)?.seenAt).toBeGreaterThanOrEqual(now() - 1);
    expect((await session.me(idle.cookie)).setCookie).toEqual([]);
  });
});
