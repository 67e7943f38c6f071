import { fastifySession, type FastifySessionOptions } from '@fastify/session';
import type {
  FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler, onSendHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';

const kSession = Symbol('gatehouse.session');

type WithSession = FastifyRequest & { [kSession]?: FastifyRequest['session'] | null };

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
 */
export const lazySession = fp<FastifySessionOptions>(
  function lazySessionPlugin(fastify, options, done) {
    const cookieName = options.cookieName ?? 'sessionId';
    let startSession: onRequestHookHandler | undefined;
    const noReply = undefined as unknown as FastifyReply;
    const ignore: HookHandlerDoneFunction = () => undefined;

    const addHook = (name: string, hook: (...args: never[]) => unknown) => {
      if (name === 'onRequest') {
        const handler = hook as unknown as onRequestHookHandler;
        startSession = handler;
        return fastify.addHook('onRequest', function restoreSession(request, reply, next) {
          if (request.cookies[cookieName] === undefined) return next();
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
      return fastify.decorateRequest('session', {
        getter(this: WithSession) {
          // Without a cookie the plugin's hook makes a new, empty session synchronously.
          if (this[kSession] === undefined && startSession !== undefined) void startSession.call(fastify, this, noReply, ignore);
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
    fastifySession(instance as FastifyInstance, options, done);
  },
  { fastify: '5.x', name: '@fastify/session', dependencies: ['@fastify/cookie'] },
);
