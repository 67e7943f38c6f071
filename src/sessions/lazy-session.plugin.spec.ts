import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import cookie from '@fastify/cookie';
import { MemoryStore } from '@fastify/session';
import Fastify, { type FastifyInstance } from 'fastify';
import { lazySession } from './lazy-session.plugin.js';

/** A Fastify app with the lazy session plugin; counts the session ids it makes and the store reads. */
async function sessionApp() {
  const store = new MemoryStore();
  const counts = { ids: 0, reads: 0 };
  const get = store.get.bind(store);
  store.get = (id, callback) => {
    counts.reads += 1;
    get(id, callback);
  };
  const app: FastifyInstance = Fastify();
  await app.register(cookie);
  await app.register(lazySession, {
    secret: 'a'.repeat(32),
    cookieName: 'sid',
    store,
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
  app.get('/whoami', async (request) => ({ userId: request.session?.get('userId') ?? null }));
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
      expect(counts).toEqual({ ids: 0, reads: 0 });
      // Read without a cookie: an empty session, made on demand, neither stored nor sent.
      const reader = await fetch(`${base}/whoami`);
      expect(await reader.json()).toEqual({ userId: null });
      expect(reader.headers.getSetCookie()).toEqual([]);
      expect(counts).toEqual({ ids: 1, reads: 0 });

      const login = await fetch(`${base}/login`, { method: 'POST' });
      const sid = login.headers.getSetCookie().find((line) => line.startsWith('sid='))?.split(';')[0];
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
