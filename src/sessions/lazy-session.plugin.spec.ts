import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import cookie, { Signer } from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { peekableSessionStore, sidCookie } from '../../test/utils/peekable-session-store.js';
import { lazySession, sessionData } from './lazy-session.plugin.js';

/** A Fastify app with the lazy session plugin; counts the session ids it makes and the store reads. */
async function sessionApp({ peeking = false, cookieHook = false } = {}) {
  const counts = { ids: 0, reads: 0, peeks: 0 };
  const signer = new Signer('a'.repeat(32), 'sha256');
  // What the fast path reads: the payloads as saved (the store's memory).
  const { store, peek } = peekableSessionStore(signer, () => (counts.peeks += 1));
  const get = store.get.bind(store);
  store.get = (id, callback) => {
    counts.reads += 1;
    get(id, callback);
  };
  const app: FastifyInstance = Fastify();
  // As the app runs it, the session plugin registers @fastify/cookie itself; or the app did, with its hook.
  if (cookieHook) await app.register(cookie);
  await app.register(lazySession, {
    secret: signer,
    cookieName: 'sid',
    store,
    peek: peeking ? peek : undefined,
    idGenerator: () => ((counts.ids += 1), randomUUID()),
    saveUninitialized: false,
    cookie: { secure: false, path: '/' },
  });
  app.get('/public', async () => ({ ok: true }));
  app.post('/login', async (request) => {
    await request.session.regenerate();
    request.session.set('userId', 'user-1');
    return { sessionId: request.session.sessionId };
  });
  app.post('/login-with-theme', async (request, reply) => {
    reply.setCookie('theme', 'dark', { path: '/' });
    await request.session.regenerate();
    request.session.set('userId', 'user-2');
    return { ok: true };
  });
  app.get('/whoami', async (request) => ({ userId: request.session?.get('userId') ?? null }));
  // What an authentication check reads, without building request.session.
  app.get('/data', async (request) => ({ data: sessionData(request) }));
  app.post('/count', async (request) => {
    const session = request.session as unknown as Record<string, number | undefined>;
    session.count = (session.count ?? 0) + 1;
    return { count: session.count };
  });
  // What a route sees of the request's cookies; it may change them, and set one.
  app.get('/cookies', async (request, reply) => {
    const seen = { ...request.cookies };
    request.cookies.changed = 'by this request';
    if (typeof request.query === 'object' && request.query !== null && 'set' in request.query) reply.setCookie('theme', 'dark', { path: '/' });
    return { seen };
  });
  app.post('/logout', async (request) => {
    await request.session.destroy();
    return { after: request.session };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, base, counts };
}

describe('lazySession', () => {
  it('costs a request without the session cookie nothing, and still gives request.session to a route that reads it', async () => {
    const { app, base, counts } = await sessionApp();
    try {
      const anonymous = await fetch(`${base}/public`);
      expect(anonymous.headers.getSetCookie()).toEqual([]);
      expect(counts).toEqual({ ids: 0, reads: 0, peeks: 0 });
      // Read without a cookie: an empty session, made on demand, neither stored nor sent.
      const reader = await fetch(`${base}/whoami`);
      expect(await reader.json()).toEqual({ userId: null });
      expect(reader.headers.getSetCookie()).toEqual([]);
      expect(counts).toEqual({ ids: 1, reads: 0, peeks: 0 });

      const login = await fetch(`${base}/login`, { method: 'POST' });
      const sid = sidCookie(login);
      expect(sid).toBeDefined();
      expect(counts.ids).toBeGreaterThan(0);

      const me = await fetch(`${base}/whoami`, { headers: { cookie: sid! } }).then((response) => response.json());
      expect(me).toEqual({ userId: 'user-1' });
      expect(counts.reads).toBe(1);

      // Destroyed stays destroyed: no fresh session is made behind the route's back.
      const logout = await fetch(`${base}/logout`, { method: 'POST', headers: { cookie: sid! } });
      expect(await logout.json()).toEqual({ after: null });
      expect(await fetch(`${base}/whoami`, { headers: { cookie: sid! } }).then((response) => response.json())).toEqual({ userId: null });
    } finally {
      await app.close();
    }
  });

  it('reads a session it holds in memory without the store or a Session, and builds request.session from it on demand', async () => {
    const { app, base, counts } = await sessionApp({ peeking: true });
    try {
      const login = await fetch(`${base}/login`, { method: 'POST' });
      const sid = sidCookie(login)!;
      const { sessionId } = (await login.json()) as { sessionId: string };
      const before = { ...counts };

      const read = await fetch(`${base}/data`, { headers: { cookie: sid } });
      expect(await read.json()).toEqual({ data: { id: sessionId, data: expect.objectContaining({ userId: 'user-1' }) } });
      expect(read.headers.getSetCookie()).toEqual([]);
      // A route that reads request.session gets the same session, built from the payload read.
      expect(await fetch(`${base}/whoami`, { headers: { cookie: sid } }).then((response) => response.json())).toEqual({ userId: 'user-1' });
      expect(counts).toEqual({ ...before, peeks: before.peeks + 2 });

      // A change made through request.session is saved as usual and seen by the next request.
      expect(await fetch(`${base}/count`, { method: 'POST', headers: { cookie: sid } }).then((response) => response.json())).toEqual({ count: 1 });
      expect(await fetch(`${base}/count`, { method: 'POST', headers: { cookie: sid } }).then((response) => response.json())).toEqual({ count: 2 });
      expect(counts.reads).toBe(before.reads);

      const logout = await fetch(`${base}/logout`, { method: 'POST', headers: { cookie: sid } });
      expect(await logout.json()).toEqual({ after: null });
    } finally {
      await app.close();
    }
  });

  it('falls back to the plugin for a session it does not hold', async () => {
    const { app, base, counts } = await sessionApp({ peeking: true });
    try {
      const login = await fetch(`${base}/login`, { method: 'POST' });
      const sid = sidCookie(login)!;
      const forged = `sid=${randomUUID()}.forged`;
      // The plugin's own answer to an unknown cookie: a new, empty session.
      const fallback = (await fetch(`${base}/data`, { headers: { cookie: forged } }).then((response) => response.json())) as { data: { data: object } | null };
      expect(fallback.data?.data).not.toHaveProperty('userId');
      expect(await fetch(`${base}/whoami`, { headers: { cookie: forged } }).then((response) => response.json())).toEqual({ userId: null });
      expect(counts.peeks).toBe(0);
      expect(sid).toBeDefined();
    } finally {
      await app.close();
    }
  });

  for (const cookieHook of [false, true]) {
    it(`gives every route request.cookies, a new one per request, with @fastify/cookie's hook ${cookieHook ? 'on' : 'off'}`, async () => {
      const { app, base, counts } = await sessionApp({ peeking: true, cookieHook });
      try {
        const sid = sidCookie(await fetch(`${base}/login`, { method: 'POST' }))!;
        const sidValue = sid.slice('sid='.length);
        const before = { ...counts };
        // No cookie header: an empty container, a new one per request (the route's change is gone).
        expect(await fetch(`${base}/cookies`).then((response) => response.json())).toEqual({ seen: {} });
        expect(await fetch(`${base}/cookies`).then((response) => response.json())).toEqual({ seen: {} });
        // Other cookies beside the session's, decoded as the cookie plugin decodes them.
        const both = await fetch(`${base}/cookies`, { headers: { cookie: `theme=light%20blue; ${sid}` } });
        expect(await both.json()).toEqual({ seen: { theme: 'light blue', sid: decodeURIComponent(sidValue) } });
        expect(counts.peeks).toBe(before.peeks + 1);
        // Setting a cookie still works; it is the only Set-Cookie (the session was not touched).
        const set = await fetch(`${base}/cookies?set`, { headers: { cookie: 'theme=light' } });
        expect(await set.json()).toEqual({ seen: { theme: 'light' } });
        expect(set.headers.getSetCookie()).toEqual([expect.stringMatching(/^theme=dark; Path=\/; SameSite=Lax$/)]);
        // A route's cookie and a new session's cookie go out together.
        const withTheme = await fetch(`${base}/login-with-theme`, { method: 'POST' });
        expect(withTheme.headers.getSetCookie().map((line) => line.split('=')[0]).sort()).toEqual(['sid', 'theme']);
      } finally {
        await app.close();
      }
    });
  }

  it('treats a forged cookie as no session', async () => {
    const { app, base } = await sessionApp();
    try {
      const me = await fetch(`${base}/whoami`, { headers: { cookie: `sid=${randomUUID()}.forged` } }).then((response) => response.json());
      expect(me).toEqual({ userId: null });
    } finally {
      await app.close();
    }
  });
});
