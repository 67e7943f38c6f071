import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';

/** What a subscriber is told: each message on its topic, and when it must catch up. */
export interface ClusterSubscriber {
  /** A message published on the topic by any instance (this one included), after its commit. */
  message(payload: string): void;
  /**
   * Called each time the channel (re)connects, after LISTEN and before the channel is declared
   * alive: whatever was published while nobody listened must be read back from the database here.
   * A failure counts as a failed connection attempt.
   */
  resync?(): Promise<void>;
}

export type ClusterChannelOptions = Pick<DatabaseConfig, 'heartbeatIntervalMs' | 'heartbeatTimeoutMs' | 'connectTimeoutMs'>;

/** PostgreSQL channel names are identifiers: keep topics to a safe, unquoted subset. */
const TOPIC_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * The cross-instance message channel: PostgreSQL LISTEN/NOTIFY on one dedicated connection.
 * Messages are published inside the transaction whose change they announce, so they are delivered
 * on commit and never for a rolled-back change.
 *
 * A subscriber may trust what it learnt from the channel only while `alive` is true, and `alive`
 * is proven, not assumed: a connection that silently stops delivering (a firewall or NAT dropping
 * an idle connection) raises no error, so every `heartbeatIntervalMs` the instance notifies itself
 * on a channel of its own, through the pool, and must see that notification come back on the
 * listening connection. PostgreSQL delivers notifications in commit order, so an echo proves that
 * everything committed before the ping was sent has been received. `alive` turns false as soon as
 * the last proof is older than interval + timeout, whether or not a timer has fired yet; the
 * connection is then dropped and rebuilt, the subscribers resync, and a fresh echo is required
 * before the channel is alive again.
 */
@Injectable()
export class ClusterChannel implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ClusterChannel');
  private readonly subscribers = new Map<string, ClusterSubscriber[]>();
  /** This instance's own heartbeat channel: nobody else listens to it. */
  private readonly heartbeatTopic = `gatehouse_heartbeat_${randomBytes(8).toString('hex')}`;
  private listener?: pg.Client;
  private connected = false;
  /** When the last echoed ping was sent: everything committed before then has been delivered. */
  private provenAt = 0;
  private wasAlive = false;
  private closing = false;
  private reconnectAttempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private pendingPings = new Map<string, number>();
  /** One ping query at a time: under a hung pool, pings must not pile up and starve requests. */
  private pinging = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly options: ClusterChannelOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    this.connected = false;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await endWithin(listener, 1000);
  }

  /** Longest time without a fresh proof before the channel stops being trusted. */
  get maxSilenceMs(): number {
    return this.options.heartbeatIntervalMs + this.options.heartbeatTimeoutMs;
  }

  /** True while delivery is proven: every message committed up to maxSilenceMs ago has arrived. */
  get alive(): boolean {
    const alive = this.connected && Date.now() - this.provenAt <= this.maxSilenceMs;
    if (!alive && this.wasAlive) this.declareLost('no heartbeat echo within the deadline');
    return alive;
  }

  /** The PostgreSQL backend pid of the listening connection (diagnostics and fault tests). */
  get listenerPid(): number | undefined {
    return (this.listener as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  /** Listens on `topic`; subscribe before the application starts (constructors are fine). */
  subscribe(topic: string, subscriber: ClusterSubscriber): void {
    if (!TOPIC_PATTERN.test(topic)) throw new Error(`Invalid cluster topic: ${topic}`);
    const list = this.subscribers.get(topic) ?? [];
    list.push(subscriber);
    this.subscribers.set(topic, list);
  }

  /** Publishes inside the caller's transaction: delivered everywhere on commit, never on rollback. */
  async publish(manager: EntityManager, topic: string, payload: string): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [topic, payload]);
  }

  /** Listen first, then resync, then prove delivery: nothing committed in between is missed. */
  private async connect(): Promise<void> {
    const { connectTimeoutMs } = this.options;
    const listener = new pg.Client({
      connectionString: (this.dataSource.options as { url?: string }).url,
      application_name: 'gatehouse-cluster',
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: connectTimeoutMs,
      // Lets the kernel notice a peer that vanished; the heartbeat is what bounds the detection.
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
    });
    this.listener = listener;
    listener.on('error', (error) => this.lost(listener, error));
    listener.on('end', () => this.lost(listener));
    listener.on('notification', (message) => this.deliver(message.channel, message.payload));
    try {
      await listener.connect();
      for (const topic of [this.heartbeatTopic, ...this.subscribers.keys()]) await listener.query(`LISTEN ${topic}`);
      for (const subscriber of [...this.subscribers.values()].flat()) await subscriber.resync?.();
      if (this.listener !== listener) return;
      this.connected = true;
      await this.proveDelivery();
      this.reconnectAttempt = 0;
    } catch (error) {
      this.lost(listener, error);
    }
  }

  /** Sends a ping and resolves once it is echoed, or rejects after the heartbeat timeout. */
  private async proveDelivery(): Promise<void> {
    const echoed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no heartbeat echo within the deadline')), this.options.heartbeatTimeoutMs);
      timer.unref();
      this.onFirstProof = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.heartbeat();
    await echoed;
  }

  private onFirstProof?: () => void;

  private heartbeat(): void {
    if (this.closing) return;
    // Read `alive` so that a missed deadline is declared even when no request asks.
    void this.alive;
    if (!this.connected) return;
    const now = Date.now();
    for (const [id, sentAt] of this.pendingPings) if (now - sentAt > this.maxSilenceMs) this.pendingPings.delete(id);
    if (this.pinging) return;
    const id = randomBytes(6).toString('hex');
    this.pendingPings.set(id, now);
    this.pinging = true;
    this.dataSource
      .query('SELECT pg_notify($1, $2)', [this.heartbeatTopic, id])
      .catch(() => {
        // The pool is unavailable: no echo will come and the deadline takes the channel down.
      })
      .finally(() => (this.pinging = false));
  }

  private deliver(topic: string, payload: string | undefined): void {
    if (topic === this.heartbeatTopic) {
      const sentAt = payload === undefined ? undefined : this.pendingPings.get(payload);
      if (sentAt === undefined) return;
      this.pendingPings.delete(payload as string);
      this.provenAt = Math.max(this.provenAt, sentAt);
      if (!this.wasAlive && this.connected) {
        this.wasAlive = true;
        this.logger.log('Cluster channel alive (LISTEN/NOTIFY delivery proven)');
      }
      const first = this.onFirstProof;
      this.onFirstProof = undefined;
      first?.();
      return;
    }
    if (payload === undefined) return;
    for (const subscriber of this.subscribers.get(topic) ?? []) {
      try {
        subscriber.message(payload);
      } catch (error) {
        this.logger.warn(`Ignored a malformed message on ${topic}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** The deadline passed without an echo: the connection may be silently dead. Rebuild it. */
  private declareLost(reason: string): void {
    const listener = this.listener;
    if (listener) this.lost(listener, new Error(reason));
    else this.wasAlive = false;
  }

  private lost(listener: pg.Client, error?: unknown): void {
    if (this.closing || this.listener !== listener) return;
    this.listener = undefined;
    this.connected = false;
    this.provenAt = 0;
    this.pendingPings.clear();
    this.onFirstProof = undefined;
    const reason = error instanceof Error ? error.message : 'connection ended';
    if (this.wasAlive) {
      this.logger.warn(`Cluster channel lost (${reason}); what it delivered is not trusted until it is back`);
    } else if (this.reconnectAttempt === 0 || this.reconnectAttempt % 10 === 0) {
      this.logger.warn(`Cluster channel not connected (${reason}); retrying`);
    }
    this.wasAlive = false;
    // A silently dead socket would never finish a polite end(): destroy it.
    destroy(listener);
    if (this.reconnectTimer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.reconnectAttempt++, RECONNECT_DELAYS_MS.length - 1)];
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closing) void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}

function destroy(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  try {
    stream?.destroy();
  } catch {
    // already gone
  }
  client.end().catch(() => undefined);
}

async function endWithin(client: pg.Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        destroy(client);
        resolve();
      }, ms);
    }),
  ]);
  clearTimeout(timer);
}
