import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import { ClusterChannel } from '../core/cluster/cluster-channel.js';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import type { Role } from '../access/role.enum.js';

/**
 * The cluster topic on which instances tell each other about revocations (a trigger in the
 * migrations publishes on it too, for sessions deleted by hand).
 */
export const REVOCATION_CHANNEL = 'gatehouse_revocation';

/** NOTIFY payloads are limited to 8000 bytes; session ids travel in chunks well below that. */
const IDS_PER_NOTIFICATION = 150;

export type RevocationEvent =
  /** These sessions ended: their access tokens are refused until they would have expired anyway. */
  | { type: 'sessions'; ids: string[] }
  /** The user's role changed: tokens carrying another role are refused. */
  | { type: 'role'; userId: string; role: Role };

export interface RevocationSubject {
  userId: string;
  role: Role;
  sessionId: string;
}

type Publish = (event: RevocationEvent | null) => void;

/**
 * What the list must know about accounts, from the module that owns them (users/), wired by
 * auth/ (AuthModule): sessions/ never reads the users table itself.
 */
export interface AccountStates {
  /** Users whose role changed less than `seconds` ago, with when it changed (epoch seconds). */
  roleChangesWithin(seconds: number): Promise<Array<{ userId: string; role: Role; changedAt: number }>>;
  /** Whether the account exists, is enabled and holds `role`. */
  holdsRole(userId: string, role: Role): Promise<boolean>;
}

/**
 * What each instance knows, in memory, about credentials that must stop working before they
 * expire: the ids of revoked sessions and the current role of users whose role changed. The
 * guard consults it on every request with no I/O.
 *
 * Entries are kept only while an access token they could match may still be unexpired (issue
 * time + access TTL + clock tolerance), so memory stays bounded by the revocations of one TTL.
 *
 * Instances stay in sync through the cluster channel: a revocation is published inside the
 * transaction that records it (delivered on commit, never for a rolled-back change) and applied
 * locally right after the commit. The list is trusted only while the channel proves it delivers
 * (`inSync`); otherwise the guard asks the database, and each time the channel comes back the
 * list is reloaded from the database so nothing sent during the gap is missed.
 */
@Injectable()
export class RevocationList {
  /** session id → second (epoch) after which no access token of the session can be valid. */
  private readonly revokedSessions = new Map<string, number>();
  /** user id → the role tokens must carry, until the pre-change tokens have expired. */
  private readonly currentRoles = new Map<string, { role: Role; until: number }>();
  private readonly sessionListeners: Array<(ids: readonly string[]) => void> = [];
  private accountStates?: AccountStates;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: ClusterChannel,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {
    channel.subscribe(REVOCATION_CHANNEL, {
      message: (payload) => this.apply(parseEvent(payload)),
      resync: () => this.reload(),
    });
  }

  /** How long after a revocation an access token issued before it may still be presented. */
  private get retentionSeconds(): number {
    return this.config.lateTokenWindowSeconds;
  }

  /** True while the in-memory list is proven complete (the channel delivers). */
  get inSync(): boolean {
    return this.channel.alive;
  }

  get size(): number {
    return this.revokedSessions.size + this.currentRoles.size;
  }

  /** Where account state is read when the list must be rebuilt or cannot be trusted. */
  useAccounts(accounts: AccountStates): void {
    this.accountStates = accounts;
  }

  private get accounts(): AccountStates {
    // Fail closed and loud: without it the fallback could not see a disabled account.
    if (!this.accountStates) throw new Error('RevocationList has no AccountStates (AuthModule wires UsersService)');
    return this.accountStates;
  }

  /** Called with the ids of sessions revoked here or on another instance (cache eviction). */
  onSessionsRevoked(listener: (ids: readonly string[]) => void): void {
    this.sessionListeners.push(listener);
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
    const [session] = await this.dataSource.query('SELECT revoked_at IS NULL AS live FROM sessions WHERE id = $1 AND user_id = $2', [
      subject.sessionId,
      subject.userId,
    ]);
    if (session?.live !== true) return true;
    return !(await this.accounts.holdsRole(subject.userId, subject.role));
  }

  /**
   * Runs `work` in a transaction; the revocations it publishes are sent to every instance on
   * commit and applied to this one immediately after, so the very next request sees them.
   */
  async commit<T>(work: (manager: EntityManager, publish: Publish) => Promise<T>): Promise<T> {
    const events: RevocationEvent[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await work(manager, (event) => event && events.push(event));
      for (const payload of events.flatMap(toPayloads)) await this.channel.publish(manager, REVOCATION_CHANNEL, payload);
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
    }
  }

  /** Forgets entries that no unexpired access token can match any more. */
  @Interval('revocation-sweep', 30_000)
  sweep(now = nowSeconds()): void {
    for (const [id, until] of this.revokedSessions) if (until <= now) this.revokedSessions.delete(id);
    for (const [id, entry] of this.currentRoles) if (entry.until <= now) this.currentRoles.delete(id);
  }

  private async reload(): Promise<void> {
    const window = this.retentionSeconds;
    const sessions: Array<{ id: string; until: number }> = await this.dataSource.query(
      `SELECT id, ceil(extract(epoch FROM revoked_at))::bigint + $1 AS until
         FROM sessions WHERE revoked_at > now() - make_interval(secs => $1)`,
      [window],
    );
    for (const { id, until } of sessions) this.apply({ type: 'sessions', ids: [id] }, Number(until));
    for (const { userId, role, changedAt } of await this.accounts.roleChangesWithin(window)) {
      this.apply({ type: 'role', userId, role }, changedAt + window);
    }
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

function parseEvent(payload: string): RevocationEvent {
  const event = JSON.parse(payload) as { type?: unknown } | null;
  if (event?.type !== 'sessions' && event?.type !== 'role') throw new Error(`unknown revocation event ${String(event?.type)}`);
  return event as RevocationEvent;
}

const nowSeconds = () => Math.ceil(Date.now() / 1000);
