import cookie from '@fastify/cookie';
import { fastifySession, type FastifySessionOptions } from '@fastify/session';
import type {
  FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler, onSendHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';

const kSession = Symbol('gatehouse.session');
const kPeeked = Symbol('gatehouse.peekedSession');

/** A session's id and stored payload, read without building @fastify/session's Session. */
export interface PeekedSession {
  readonly id: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** True when `data` is the request's Session object, which routes may change; false for a stored payload. */
  readonly built?: boolean;
}

type WithSession = FastifyRequest & { [kSession]?: FastifyRequest['session'] | null; [kPeeked]?: PeekedSession };

export interface LazySessionOptions extends FastifySessionOptions {
  /**
   * The fast path for a request that sends the session cookie: the signed cookie's session, when
   * its signature checks and its payload is live and at hand without waiting (the store's
   * memory), else undefined (the plugin's own hook then runs, as for any cookie).
   */
  peek?: (signedCookie: string) => PeekedSession | undefined;
}

/**
 * The request's session without building `request.session`: the Session object once something
 * made it, else what the fast path read; null when the request has no session. This is what an
 * authentication check reads: the payload as stored, with no copy, hash or Cookie object made.
 */
export function sessionData(request: FastifyRequest): PeekedSession | null {
  const made = (request as WithSession)[kSession];
  if (made) return made.sessionId ? { id: made.sessionId, data: made as unknown as Record<string, unknown>, built: true } : null;
  if (made === null) return null;
  return (request as WithSession)[kPeeked] ?? null;
}

/**
 * @fastify/session, paid for only by the requests that have a session.
 *
 * The plugin itself runs on every request: without a cookie it still makes a new session (a
 * fresh id, signed with an HMAC and hashed), which most requests (Bearer, public routes) never
 * look at. Here its own hooks run unchanged, but
 * - the request hook (cookie check, signature, store read) only when the session cookie is sent;
 * - without the cookie, `request.session` is made the first time a route reads it (session
 *   login, whose regenerate() then issues the cookie), exactly as the plugin would have made it;
 * - the save-and-set-cookie hook only when a session exists.
 * So `request.session` works wherever a route uses it, and a request that never touches it pays
 * a cookie lookup. No option of the plugin does this; it is done by handing the plugin an
 * instance whose addHook and decorateRequest wrap what it registers.
 *
 * With `peek`, a request that sends the cookie of a session this instance holds in memory skips
 * the plugin's hook too: the plugin would build a Session for it (the payload copied next to a
 * new Cookie object, then serialised stably and hashed, and again when the response is sent, to
 * see whether it changed) only for the guard to read two fields. The guard reads
 * `sessionData(request)` instead, and `request.session`, when a route reads it (logout, the
 * once-a-minute keep-alive), is then built by the plugin's own hook from the same payload,
 * synchronously, and saved by its own onSend hook as usual.
 *
 * It also registers @fastify/cookie, with its parsing hook off (`hook: false`): this plugin's
 * request hook parses `request.cookies` instead, with the cookie plugin's own parser, on every
 * request, before any route or later hook. That is one hook per request instead of two, and no
 * container for outgoing cookies until something sets one (the cookie plugin then makes it, and
 * parses the header again, as its `hook: false` does); the README's Performance section has what
 * that saved. An app that registered @fastify/cookie itself keeps it, and the cookies its hook
 * parsed are used as they are; it must not turn that hook off, as the order below explains.
 */
export const lazySession = fp<LazySessionOptions>(
  function lazySessionPlugin(fastify, { peek, ...options }, done) {
    const cookieName = options.cookieName ?? 'sessionId';
    let startSession: onRequestHookHandler | undefined;
    const noReply = undefined as unknown as FastifyReply;
    const ignore: HookHandlerDoneFunction = () => undefined;
    // While the getter builds a peeked session, the store answers with the payload already read.
    let pinned: PeekedSession | undefined;
    const store = options.store;
    if (peek !== undefined && store !== undefined) {
      options.store = {
        get: (id, callback) => (pinned !== undefined && pinned.id === id ? callback(null, pinned.data as never) : store.get(id, callback)),
        set: (id, session, callback) => store.set(id, session, callback),
        destroy: (id, callback) => store.destroy(id, callback),
      };
    }

    // request.cookies as @fastify/cookie's own hook would have set it, when that hook is off.
    const cookiesOf = (request: FastifyRequest): FastifyRequest['cookies'] => {
      if (request.cookies !== null) return request.cookies;
      const header = request.headers.cookie;
      // A new container per request, as the cookie plugin makes one: routes may change it.
      return (request.cookies = header === undefined ? {} : fastify.parseCookie(header));
    };

    const addHook = (name: string, hook: (...args: never[]) => unknown) => {
      if (name === 'onRequest') {
        const handler = hook as unknown as onRequestHookHandler;
        startSession = handler;
        return fastify.addHook('onRequest', function restoreSession(request, reply, next) {
          const cookie = cookiesOf(request)[cookieName];
          if (cookie === undefined) return next();
          const peeked = peek?.(cookie);
          if (peeked !== undefined) {
            (request as WithSession)[kPeeked] = peeked;
            return next();
          }
          return handler.call(fastify, request, reply, next);
        });
      }
      if (name === 'onSend') {
        const handler = hook as unknown as onSendHookHandler;
        return fastify.addHook('onSend', function saveSession(request, reply, payload, next) {
          if (!(request as WithSession)[kSession]) return next(null, payload);
          return handler.call(fastify, request, reply, payload, next);
        });
      }
      return fastify.addHook(name as 'onReady', hook as never);
    };

    const decorateRequest = (name: string, value: unknown) => {
      if (name !== 'session') return fastify.decorateRequest(name, value as never);
      // undefined: not made yet; null: destroyed (logout), as the plugin leaves it.
      fastify.decorateRequest(kSession as unknown as string, undefined);
      fastify.decorateRequest(kPeeked as unknown as string, undefined);
      return fastify.decorateRequest('session', {
        getter(this: WithSession) {
          if (this[kSession] === undefined && startSession !== undefined) {
            // Without a cookie the plugin's hook makes a new, empty session synchronously; with a
            // peeked one it restores that session synchronously, the store answering from `pinned`.
            pinned = this[kPeeked];
            try {
              void startSession.call(fastify, this, noReply, ignore);
            } finally {
              pinned = undefined;
            }
          }
          return this[kSession];
        },
        setter(this: WithSession, session: FastifyRequest['session'] | null) {
          this[kSession] = session;
        },
      } as never);
    };

    const instance = new Proxy(fastify, {
      get(target, property) {
        if (property === 'addHook') return addHook;
        if (property === 'decorateRequest') return decorateRequest;
        return Reflect.get(target, property, target);
      },
    });
    fastifySession(instance as FastifyInstance, options, (error?: Error) => {
      if (error) return done(error);
      // Registered here, after the session plugin's hooks, so that the session's onSend (which
      // sets the sid cookie) runs before the cookie plugin's writer. With `hook: false`, that
      // writer only flushes cookies queued before it ran: queued later, they would be lost.
      if (!fastify.hasPlugin('@fastify/cookie')) fastify.register(cookie, { hook: false });
      done();
    });
  },
  { fastify: '5.x', name: '@fastify/session' },
);
