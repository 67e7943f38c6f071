import type { Signer } from '@fastify/cookie';
import { MemoryStore } from '@fastify/session';
import type { PeekedSession } from '../../src/sessions/lazy-session.plugin.js';

/**
 * For tests of the session fast path: @fastify/session's MemoryStore, a copy of every payload it
 * saves (what CookieSessionStore keeps in memory), and a `peek` over those copies that checks the
 * cookie's signature first, as app.setup.ts's does. `onPeek` is called for every payload found.
 */
export function peekableSessionStore(signer: Signer, onPeek: () => void = () => undefined) {
  const store = new MemoryStore();
  const saved = new Map<string, Record<string, unknown>>();
  const set = store.set.bind(store);
  store.set = (id, session, callback) => {
    saved.set(id, JSON.parse(JSON.stringify(session)) as Record<string, unknown>);
    set(id, session, callback);
  };
  const peek = (signedCookie: string): PeekedSession | undefined => {
    const { valid, value } = signer.unsign(signedCookie);
    const data = valid && value !== null ? saved.get(value) : undefined;
    if (data === undefined) return undefined;
    onPeek();
    return { id: value!, data };
  };
  return { store, saved, peek };
}

/** The `sid=…` pair a response set, as a Cookie header sends it back; undefined when none was set. */
export const sidCookie = (response: Response): string | undefined =>
  response.headers.getSetCookie().find((line) => line.startsWith('sid='))?.split(';')[0];
