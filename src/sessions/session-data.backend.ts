import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

/** Plain, JSON-safe contents of a cookie session (what `request.session` holds). */
export type SessionData = Record<string, unknown>;

/**
 * Where cookie-session payloads are kept. The device itself (listing, revocation, expiry) is
 * always the `sessions` row in PostgreSQL; only the payload moves to Redis when REDIS_URL is set.
 */
export interface SessionDataBackend {
  readonly name: 'postgres' | 'redis';
  load(id: string, idleSeconds: number): Promise<SessionData | null>;
  /** Stores the payload and moves the device's last_used_at (listing shows it). */
  save(id: string, data: SessionData, ttlSeconds: number): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
}

export class PostgresSessionData implements SessionDataBackend {
  readonly name = 'postgres';

  constructor(private readonly dataSource: DataSource) {}

  async load(id: string, idleSeconds: number): Promise<SessionData | null> {
    const [row]: Array<{ data: SessionData | null }> = await this.dataSource.query(
      `SELECT data FROM sessions
        WHERE id = $1 AND kind = 'cookie' AND revoked_at IS NULL AND expires_at > now()
          AND last_used_at > now() - make_interval(secs => $2)`,
      [id, idleSeconds],
    );
    return row?.data ?? null;
  }

  async save(id: string, data: SessionData): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET data = $2, last_used_at = now() WHERE id = $1 AND kind = 'cookie' AND revoked_at IS NULL`,
      [id, data],
    );
  }

  /** Revoked rows are refused by load() already. */
  async remove(): Promise<void> {}
}

/** What the Redis backend asks of the device rows in PostgreSQL. */
export interface DeviceRows {
  /** Moves the row's last_used_at (listing shows it). */
  touch(id: string): Promise<void>;
  /** True while the row is neither revoked nor expired. */
  isLive(id: string): Promise<boolean>;
}

export class RedisSessionData implements SessionDataBackend {
  readonly name = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly devices: DeviceRows,
  ) {}

  private key(id: string): string {
    return `gatehouse:session:${id}`;
  }

  /**
   * The payload is honoured only while its device row is live. Ending a session deletes the key,
   * but a delete that failed, or a payload written just after it (a sign-in racing a role change),
   * would otherwise come back once the in-memory revocation entry is swept, with the role and
   * enabled state it was written with. One indexed read per cache miss (at most once a minute).
   */
  async load(id: string): Promise<SessionData | null> {
    const [json, live] = await Promise.all([this.redis.get(this.key(id)), this.devices.isLive(id)]);
    if (json !== null && !live) await this.remove([id]).catch(() => undefined);
    return json === null || !live ? null : (JSON.parse(json) as SessionData);
  }

  /** The key expires on its own once the session has been idle for its TTL. */
  async save(id: string, data: SessionData, ttlSeconds: number): Promise<void> {
    await Promise.all([this.redis.set(this.key(id), JSON.stringify(data), 'EX', Math.max(1, Math.ceil(ttlSeconds))), this.devices.touch(id)]);
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.del(...ids.map((id) => this.key(id)));
  }
}
