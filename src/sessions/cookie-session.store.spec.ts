import { jest } from '@jest/globals';
import type { Session } from 'fastify';
import type { DataSource } from 'typeorm';
import type { CookieConfig } from '../core/config/cookie.config.js';
import { CookieSessionStore } from './cookie-session.store.js';
import type { RevocationList } from './revocation-list.js';
import type { SessionsService } from './sessions.service.js';

/** A store over a stubbed database that counts its reads, and a revocation list we can drive. */
function storeWith(rows: Record<string, Record<string, unknown>>) {
  const reads: string[] = [];
  const dataSource = {
    query: async (_sql: string, [id]: [string]) => {
      reads.push(id);
      return rows[id] ? [{ data: rows[id] }] : [];
    },
  } as unknown as DataSource;
  const revoked = new Set<string>();
  let onRevoked: (ids: readonly string[]) => void = () => undefined;
  const revocation = {
    isSessionRevoked: (id: string) => revoked.has(id),
    onSessionsRevoked: (listener: typeof onRevoked) => (onRevoked = listener),
  } as unknown as RevocationList;
  const config = { idleTimeoutSeconds: 1800 } as CookieConfig;
  const store = new CookieSessionStore(dataSource, null, {} as SessionsService, revocation, config);
  const get = (id: string) =>
    new Promise<Session | null | undefined>((resolve, reject) => store.get(id, (error, session) => (error ? reject(error) : resolve(session))));
  const revoke = (id: string) => {
    revoked.add(id);
    onRevoked([id]);
  };
  return { store, get, reads, revoke, unrevoke: (id: string) => revoked.delete(id) };
}

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

describe('CookieSessionStore', () => {
  describe('peek (the sign-in check of a sid request, from memory only)', () => {
    const cookieFor = (ms: number) => ({ originalMaxAge: 1_800_000, expires: new Date(Date.now() + ms).toISOString() });

    it('answers only for a live session it holds in memory, never asking the store', async () => {
      const { store, get, reads } = storeWith({ s1: { userId: 'u1', expiresAt: inSeconds(3600), cookie: cookieFor(60_000) } });
      expect(store.peek('s1')).toBeUndefined();
      expect(reads).toEqual([]);
      await get('s1');
      expect(store.peek('s1')).toMatchObject({ userId: 'u1' });
      expect(store.peek('s1')).toMatchObject({ userId: 'u1' });
      expect(reads).toEqual(['s1']);
    });

    it('has nothing for a revoked session, one past its absolute end, or one whose cookie has expired', async () => {
      const { store, get, revoke } = storeWith({
        revoked: { userId: 'u1', expiresAt: inSeconds(3600) },
        idle: { userId: 'u1', expiresAt: inSeconds(3600), cookie: cookieFor(-1000) },
        live: { userId: 'u1', expiresAt: inSeconds(3600), cookie: cookieFor(60_000) },
      });
      for (const id of ['revoked', 'idle', 'live']) await get(id);
      revoke('revoked');
      expect(store.peek('revoked')).toBeUndefined();
      // An expired cookie is the plugin's to handle (it replaces the session): peek steps aside.
      expect(store.peek('idle')).toBeUndefined();
      expect(store.peek('live')).toBeDefined();
    });

    it('stops answering once the absolute lifetime has passed', async () => {
      jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      try {
        const { store, get } = storeWith({ s1: { userId: 'u1', expiresAt: inSeconds(30), cookie: cookieFor(3_600_000) } });
        await get('s1');
        expect(store.peek('s1')).toBeDefined();
        jest.setSystemTime(Date.now() + 31_000);
        expect(store.peek('s1')).toBeUndefined();
      } finally {
        jest.useRealTimers();
      }
    });
  });

  it('reads a session once and then answers from its cache', async () => {
    const { get, reads } = storeWith({ s1: { userId: 'u1', expiresAt: inSeconds(3600) } });
    expect(await get('s1')).toMatchObject({ userId: 'u1' });
    expect(await get('s1')).toMatchObject({ userId: 'u1' });
    expect(reads).toEqual(['s1']);
  });

  it('enforces the absolute lifetime whatever the store still holds', async () => {
    const { get } = storeWith({ old: { userId: 'u1', expiresAt: inSeconds(-1) } });
    expect(await get('old')).toBeNull();
  });

  it('refuses a revoked session at once and forgets its cached copy', async () => {
    const { get, reads, revoke, unrevoke } = storeWith({ s1: { userId: 'u1', expiresAt: inSeconds(3600) } });
    await get('s1');
    revoke('s1');
    expect(await get('s1')).toBeNull();
    // Once the revocation list has forgotten the id, the store is asked again rather than the cache.
    unrevoke('s1');
    await get('s1');
    expect(reads).toEqual(['s1', 's1']);
  });

  it('answers null for an id the store does not know', async () => {
    const { get } = storeWith({});
    expect(await get('nope')).toBeNull();
  });
});
