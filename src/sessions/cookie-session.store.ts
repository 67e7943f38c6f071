import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { cookieConfig, type CookieConfig } from '../core/config/cookie.config.js';
import { REDIS } from '../core/database/redis.module.js';
import { RevocationList } from './revocation-list.js';
import { PostgresSessionData, RedisSessionData, type SessionData, type SessionDataBackend } from './session-data.backend.js';
import { SessionsService } from './sessions.service.js';

type Callback = (error?: unknown) => void;
type SessionCallback = (error: unknown, session?: Session | null) => void;

/** How long an instance trusts its cached copy of a session before asking the store again. */
const REVALIDATE_MS = 60_000;
const CACHE_CAPACITY = 50_000;

/**
 * The @fastify/session store (express-session's interface: get/set/destroy with callbacks).
 *
 * A cookie session is the same `sessions` row as a token session, so listing, logout-all,
 * password change and admin actions end it the same way; its payload lives in PostgreSQL or, with
 * REDIS_URL, in Redis. Reads are served from an in-process cache: revocations (from this
 * instance or, through LISTEN/NOTIFY, from any other) evict entries at once and the revocation
 * list refuses the id, so a logged-out cookie stops working everywhere without a lookup per
 * request. The rolling idle deadline is written back at most once a minute (keepSessionAlive).
 */
@Injectable()
export class CookieSessionStore implements SessionStore {
  private readonly logger = new Logger(CookieSessionStore.name);
  /** Entries are asked of the store again once REVALIDATE_MS old. */
  private readonly cache = new LRUCache<string, SessionData>({ max: CACHE_CAPACITY, ttl: REVALIDATE_MS, ttlAutopurge: false });
  readonly backend: SessionDataBackend;
  /** Each cached payload's cookie deadline, parsed once (a date string otherwise parsed per request). */
  private readonly cookieDeadlines = new WeakMap<SessionData, number>();

  constructor(
    dataSource: DataSource,
    @Inject(REDIS) redis: Redis | null,
    private readonly sessions: SessionsService,
    private readonly revocation: RevocationList,
    @Inject(cookieConfig.KEY) private readonly config: CookieConfig,
  ) {
    this.backend = redis ? new RedisSessionData(redis, { touch: (id) => sessions.touch(id), isLive: (id) => sessions.isLive(id) }) : new PostgresSessionData(dataSource);
    revocation.onSessionsRevoked((ids) => {
      for (const id of ids) this.cache.delete(id);
      this.backend.remove(ids).catch((error: unknown) => this.logger.warn(`Could not remove ended sessions from the store: ${String(error)}`));
    });
  }

  get(sessionId: string, callback: SessionCallback): void {
    if (this.revocation.isSessionRevoked(sessionId)) return callback(null, null);
    const now = Date.now();
    const cached = this.cache.get(sessionId);
    if (cached !== undefined) return callback(null, this.isLive(cached, now) ? (cached as unknown as Session) : null);
    this.backend.load(sessionId, this.config.idleTimeoutSeconds).then(
      (data) => {
        if (data === null || !this.isLive(data, now) || this.revocation.isSessionRevoked(sessionId)) {
          this.cache.delete(sessionId);
          return callback(null, null);
        }
        this.cache.set(sessionId, data);
        callback(null, data as unknown as Session);
      },
      (error: unknown) => callback(error),
    );
  }

  /**
   * The session's payload when it is live and this instance holds it in memory, else undefined
   * (then get() asks the store). Synchronous: the sign-in check of nearly every `sid` request.
   */
  peek(sessionId: string): SessionData | undefined {
    if (this.revocation.isSessionRevoked(sessionId)) return undefined;
    const cached = this.cache.get(sessionId);
    if (cached === undefined || !this.isLive(cached, Date.now())) return undefined;
    // The cookie's own idle deadline: @fastify/session replaces a session past it with a new one.
    let deadline = this.cookieDeadlines.get(cached);
    if (deadline === undefined) {
      const expires = (cached.cookie as { expires?: string | Date | null } | undefined)?.expires;
      deadline = expires ? new Date(expires).getTime() : Number.POSITIVE_INFINITY;
      this.cookieDeadlines.set(cached, Number.isNaN(deadline) ? 0 : deadline);
    }
    return deadline > Date.now() ? cached : undefined;
  }

  /**
   * Called by @fastify/session only when the payload changed: at sign-in, and when the guard
   * moves the idle deadline (at most once a minute, see keepSessionAlive).
   */
  set(sessionId: string, session: object, callback: Callback): void {
    const data = JSON.parse(JSON.stringify(session)) as SessionData;
    // Sessions nobody signed in to are never stored (no row, nothing to keep).
    if (typeof data.userId !== 'string' || this.revocation.isSessionRevoked(sessionId)) return callback();
    const now = Date.now();
    const ttlSeconds = Math.min(this.config.idleTimeoutSeconds, Number(data.expiresAt) - now / 1000);
    this.backend.save(sessionId, data, ttlSeconds).then(
      () => {
        // The entry keeps its age: a save is no revalidation against the store.
        this.cache.set(sessionId, data, { noUpdateTTL: this.cache.has(sessionId) });
        callback();
      },
      (error: unknown) => callback(error),
    );
  }

  /** Logout, or the old id at `regenerate()`: the device record ends on every instance. */
  destroy(sessionId: string, callback: Callback): void {
    this.cache.delete(sessionId);
    this.sessions.end(sessionId, 'logout').then(() => callback(), (error: unknown) => callback(error));
  }

  /** Absolute lifetime, enforced whatever the store's own expiry says. */
  private isLive(data: SessionData, now: number): boolean {
    return typeof data.expiresAt === 'number' && data.expiresAt * 1000 > now;
  }
}
