import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** INCR, and start the window on the first hit; answers [hits, milliseconds left]. */
const REDIS_HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/**
 * A counter store for @fastify/rate-limit shared by every instance, so a limit holds whichever
 * instance a client reaches: Redis when REDIS_URL is set, PostgreSQL otherwise. A fixed window
 * per key, counted with one atomic statement per hit. All rate-limited routes share one budget
 * per client (child() returns the same store).
 */
export class SharedRateLimitStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: Redis | null,
  ) {}

  /** @fastify/rate-limit constructs its store itself; this binds ours to the app's connections. */
  static bound(dataSource: DataSource, redis: Redis | null): new () => SharedRateLimitStore {
    return class extends SharedRateLimitStore {
      constructor() {
        super(dataSource, redis);
      }
    };
  }

  incr(key: string, callback: Callback, timeWindow: number): void {
    (this.redis ? this.hitRedis(key, timeWindow) : this.hitPostgres(key, timeWindow)).then(
      ([current, ttl]) => callback(null, { current, ttl }),
      (error: Error) => callback(error),
    );
  }

  child(): SharedRateLimitStore {
    return this;
  }

  private async hitRedis(key: string, windowMs: number): Promise<[number, number]> {
    return (await this.redis!.eval(REDIS_HIT, 1, `gatehouse:rate:${key}`, windowMs)) as [number, number];
  }

  private async hitPostgres(key: string, windowMs: number): Promise<[number, number]> {
    const [row]: Array<{ hits: number; left_ms: number }> = await this.dataSource.query(
      `INSERT INTO rate_limits AS r (key, hits, window_ends) VALUES ($1, 1, now() + make_interval(secs => $2 / 1000.0))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_ends <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends = CASE WHEN r.window_ends <= now() THEN EXCLUDED.window_ends ELSE r.window_ends END
       RETURNING hits, greatest(0, extract(epoch FROM window_ends - now()) * 1000)::float8 AS left_ms`,
      [key, windowMs],
    );
    return [row.hits, row.left_ms];
  }
}
