import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import type { Role } from '../access/role.enum.js';

/** The PostgreSQL channel on which instances tell each other about revocations. */
export const REVOCATION_CHANNEL = 'gatehouse_revocation';

/** NOTIFY payloads are limited to 8000 bytes; session ids travel in chunks well below that. */
const IDS_PER_NOTIFICATION = 150;
const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

export type RevocationEvent =
  /** These sessions ended: their access tokens are refused until they would have expired anyway. */
  | { type: 'sessions'; ids: string[] }
  /** The user's role changed: tokens carrying another role are refused. */
  | { type: 'role'; userId: string; role: Role }
  /** A new signing key became current: every instance reloads its key ring. */
  | { type: 'keys' };

export interface RevocationSubject {
  userId: string;
  role: Role;
  sessionId: string;
}

type Publish = (event: RevocationEvent | null) => void;

/**
 * What each instance knows, in memory, about credentials that must stop working before they
 * expire: the ids of revoked sessions and the current role of users whose role changed. The
 * guard consults it on every request with no I/O.
 *
 * Entries are kept only while an access token they could match may still be unexpired (issue
 * time + access TTL + clock tolerance), so memory stays bounded by the revocations of one TTL.
 *
 * Instances stay in sync through PostgreSQL LISTEN/NOTIFY: a revocation is published inside the
 * transaction that records it (delivered on commit, never for a rolled-back change) and applied
 * locally right after the commit. While the listening connection is down the list is not
 * trusted: `inSync` is false, the guard asks the database instead, and on reconnection the list
 * is reloaded from the database so nothing sent during the gap is missed.
 */
@Injectable()
export class RevocationList implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RevocationList.name);
  /** session id → second (epoch) after which no access token of the session can be valid. */
  private readonly revokedSessions = new Map<string, number>();
  /** user id → the role tokens must carry, until the pre-change tokens have expired. */
  private readonly currentRoles = new Map<string, { role: Role; until: number }>();
  private readonly sessionListeners: Array<(ids: readonly string[]) => void> = [];
  private readonly keyListeners: Array<() => void> = [];
  private listener?: pg.Client;
  private synced = false;
  private closing = false;
  private reconnectAttempt = 0;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** How long after a revocation an access token issued before it may still be presented. */
  private get retentionSeconds(): number {
    return this.config.lateTokenWindowSeconds;
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    this.synced = false;
    await listener?.end().catch(() => undefined);
  }

  /** True while the in-memory list is known to be complete. */
  get inSync(): boolean {
    return this.synced;
  }

  /** The PostgreSQL backend pid of the listening connection (diagnostics and fault tests). */
  get listenerPid(): number | undefined {
    return (this.listener as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  get size(): number {
    return this.revokedSessions.size + this.currentRoles.size;
  }

  /** Called with the ids of sessions revoked here or on another instance (cache eviction). */
  onSessionsRevoked(listener: (ids: readonly string[]) => void): void {
    this.sessionListeners.push(listener);
  }

  /** Called when a signing key rotation was committed anywhere (and after a reconnection). */
  onKeysRotated(listener: () => void): void {
    this.keyListeners.push(listener);
  }

  isSessionRevoked(sessionId: string): boolean {
    return this.revokedSessions.has(sessionId);
  }

  /** The hot-path check: memory only. */
  isRevoked(subject: RevocationSubject): boolean {
    if (this.revokedSessions.has(subject.sessionId)) return true;
    const current = this.currentRoles.get(subject.userId);
    return current !== undefined && current.role !== subject.role;
  }

  /** The fallback while out of sync: the same question asked of the database. */
  async isRevokedInDatabase(subject: RevocationSubject): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT s.revoked_at IS NULL AND u.disabled_at IS NULL AND u.role = $3 AS valid
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2`,
      [subject.sessionId, subject.userId, subject.role],
    );
    return row?.valid !== true;
  }

  /**
   * Runs `work` in a transaction; the revocations it publishes are sent to every instance on
   * commit and applied to this one immediately after, so the very next request sees them.
   */
  async commit<T>(work: (manager: EntityManager, publish: Publish) => Promise<T>): Promise<T> {
    const events: RevocationEvent[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await work(manager, (event) => event && events.push(event));
      for (const payload of events.flatMap(toPayloads)) {
        await manager.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, payload]);
      }
      return value;
    });
    for (const event of events) this.apply(event);
    return result;
  }

  private apply(event: RevocationEvent, until = nowSeconds() + this.retentionSeconds): void {
    if (event.type === 'sessions') {
      for (const id of event.ids) this.revokedSessions.set(id, Math.max(until, this.revokedSessions.get(id) ?? 0));
      for (const listener of this.sessionListeners) listener(event.ids);
    } else if (event.type === 'role') {
      this.currentRoles.set(event.userId, { role: event.role, until });
    } else {
      for (const listener of this.keyListeners) listener();
    }
  }

  /** Forgets entries that no unexpired access token can match any more. */
  @Interval('revocation-sweep', 30_000)
  sweep(now = nowSeconds()): void {
    for (const [id, until] of this.revokedSessions) if (until <= now) this.revokedSessions.delete(id);
    for (const [id, entry] of this.currentRoles) if (entry.until <= now) this.currentRoles.delete(id);
  }

  /** Listen first, then load: a revocation committed in between is seen at least once. */
  private async connect(): Promise<void> {
    const listener = new pg.Client({ connectionString: connectionUrl(this.dataSource), application_name: 'gatehouse-revocation' });
    listener.on('error', (error) => this.lost(listener, error));
    listener.on('end', () => this.lost(listener));
    listener.on('notification', (message) => {
      if (message.channel !== REVOCATION_CHANNEL || !message.payload) return;
      try {
        this.apply(JSON.parse(message.payload) as RevocationEvent);
      } catch {
        this.logger.warn('Ignored a malformed revocation notification');
      }
    });
    try {
      await listener.connect();
      await listener.query(`LISTEN ${REVOCATION_CHANNEL}`);
      this.listener = listener;
      await this.reload();
      this.synced = true;
      if (this.reconnectAttempt > 0) {
        this.logger.log('Revocation channel restored; list reloaded from the database');
        // A rotation may have been announced while nobody was listening.
        for (const listener of this.keyListeners) listener();
      }
      this.reconnectAttempt = 0;
    } catch (error) {
      await listener.end().catch(() => undefined);
      this.lost(listener, error);
    }
  }

  private lost(listener: pg.Client, error?: unknown): void {
    if (this.closing || (this.listener !== undefined && this.listener !== listener)) return;
    this.listener = undefined;
    if (this.synced) {
      this.logger.warn(`Revocation channel lost (${error instanceof Error ? error.message : 'connection ended'}); checking the database until it is back`);
    }
    this.synced = false;
    if (this.reconnectTimer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.reconnectAttempt++, RECONNECT_DELAYS_MS.length - 1)];
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closing) void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private async reload(): Promise<void> {
    const window = this.retentionSeconds;
    const sessions: Array<{ id: string; until: number }> = await this.dataSource.query(
      `SELECT id, ceil(extract(epoch FROM revoked_at))::bigint + $1 AS until
         FROM sessions WHERE revoked_at > now() - make_interval(secs => $1)`,
      [window],
    );
    for (const { id, until } of sessions) this.apply({ type: 'sessions', ids: [id] }, Number(until));
    const roles: Array<{ id: string; role: Role; until: number }> = await this.dataSource.query(
      `SELECT id, role, ceil(extract(epoch FROM role_changed_at))::bigint + $1 AS until
         FROM users WHERE role_changed_at > now() - make_interval(secs => $1)`,
      [window],
    );
    for (const { id, role, until } of roles) this.apply({ type: 'role', userId: id, role }, Number(until));
  }
}

function toPayloads(event: RevocationEvent): string[] {
  if (event.type !== 'sessions') return [JSON.stringify(event)];
  const payloads: string[] = [];
  for (let i = 0; i < event.ids.length; i += IDS_PER_NOTIFICATION) {
    payloads.push(JSON.stringify({ type: 'sessions', ids: event.ids.slice(i, i + IDS_PER_NOTIFICATION) }));
  }
  return payloads;
}

function connectionUrl(dataSource: DataSource): string {
  return (dataSource.options as { url?: string }).url as string;
}

const nowSeconds = () => Math.ceil(Date.now() / 1000);
