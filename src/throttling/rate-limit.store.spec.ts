import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { SharedRateLimitStore } from './rate-limit.store.js';

/** Runs the store's callback API as @fastify/rate-limit does and returns what it was given. */
function hit(store: SharedRateLimitStore, key: string, windowMs = 60_000): Promise<{ current: number; ttl: number }> {
  return new Promise((resolve, reject) => {
    store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs);
  });
}

describe('SharedRateLimitStore', () => {
  it('counts in PostgreSQL with one statement per hit and reports the time left in the window', async () => {
    const query = jest.fn(async () => [{ hits: 3, left_ms: 41_500 }]);
    const store = new SharedRateLimitStore({ query } as unknown as DataSource, null);
    await expect(hit(store, 'auth:10.0.0.1', 60_000)).resolves.toEqual({ current: 3, ttl: 41_500 });
    expect(query).toHaveBeenCalledTimes(1);
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/INSERT INTO rate_limits[\s\S]*ON CONFLICT \(key\) DO UPDATE[\s\S]*RETURNING/), ['auth:10.0.0.1', 60_000]);
  });

  it('uses Redis instead when there is a connection, under a key of its own', async () => {
    const query = jest.fn();
    const evalScript = jest.fn(async () => [1, 60_000]);
    const store = new SharedRateLimitStore({ query } as unknown as DataSource, { eval: evalScript } as unknown as Redis);
    await expect(hit(store, 'auth:10.0.0.2')).resolves.toEqual({ current: 1, ttl: 60_000 });
    expect(evalScript).toHaveBeenCalledWith(expect.stringContaining("redis.call('INCR'"), 1, 'gatehouse:rate:auth:10.0.0.2', 60_000);
    expect(query).not.toHaveBeenCalled();
  });

  it('hands a storage failure to the plugin instead of throwing', async () => {
    const failure = new Error('connection refused');
    const store = new SharedRateLimitStore({ query: async () => Promise.reject(failure) } as unknown as DataSource, null);
    await expect(hit(store, 'auth:10.0.0.3')).rejects.toBe(failure);
  });

  it('gives every rate-limited route the same store, so they share one budget per client', () => {
    const store = new SharedRateLimitStore({} as DataSource, null);
    expect(store.child()).toBe(store);
  });

  it('binds a class the plugin can construct without arguments', async () => {
    const query = jest.fn(async () => [{ hits: 1, left_ms: 60_000 }]);
    const Bound = SharedRateLimitStore.bound({ query } as unknown as DataSource, null);
    await expect(hit(new Bound(), 'auth:10.0.0.4')).resolves.toEqual({ current: 1, ttl: 60_000 });
  });
});
