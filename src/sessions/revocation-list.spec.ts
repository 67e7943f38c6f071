import type { DataSource } from 'typeorm';
import { authConfig } from '../core/config/auth.config.js';
import { loadEnvironment } from '../core/config/env.validation.js';
import { Role } from '../access/role.enum.js';
import { ClusterChannel } from '../core/cluster/cluster-channel.js';
import { REVOCATION_CHANNEL, RevocationList } from './revocation-list.js';

describe('RevocationList', () => {
  const notifications: unknown[][] = [];
  const dataSource = {
    transaction: async (work: (manager: unknown) => Promise<unknown>) =>
      work({ query: async (...args: unknown[]) => notifications.push(args) }),
  } as unknown as DataSource;
  const config = authConfig.build(loadEnvironment({ JWT_SECRET: 'x'.repeat(48), JWT_ACCESS_TTL: '900', JWT_CLOCK_TOLERANCE: '5' }));
  const subject = { userId: 'u1', role: Role.User, sessionId: 's1' };
  const channelOptions = { heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 2000, connectTimeoutMs: 1000 };
  const channelOver = (source: DataSource) => new ClusterChannel(source, channelOptions);
  let list: RevocationList;

  beforeEach(() => {
    notifications.length = 0;
    list = new RevocationList(dataSource, channelOver(dataSource), config);
  });

  it('publishes inside the transaction and applies locally right after commit', async () => {
    expect(list.isRevoked(subject)).toBe(false);
    await list.commit(async (_manager, publish) => publish({ type: 'sessions', ids: ['s1'] }));
    expect(list.isRevoked(subject)).toBe(true);
    expect(list.isRevoked({ ...subject, sessionId: 's2' })).toBe(false);
    expect(notifications).toEqual([['SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, JSON.stringify({ type: 'sessions', ids: ['s1'] })]]]);
  });

  it('splits large revocations into notifications under the 8000-byte limit', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await list.commit(async (_manager, publish) => publish({ type: 'sessions', ids }));
    expect(notifications.length).toBeGreaterThan(1);
    for (const [, [, payload]] of notifications as Array<[string, [string, string]]>) expect(payload.length).toBeLessThan(8000);
  });

  it('refuses tokens carrying a role the user no longer has', async () => {
    await list.commit(async (_manager, publish) => publish({ type: 'role', userId: 'u1', role: Role.Admin }));
    expect(list.isRevoked(subject)).toBe(true);
    expect(list.isRevoked({ ...subject, role: Role.Admin })).toBe(false);
  });

  it('forgets entries once every token they could match has expired', async () => {
    await list.commit(async (_manager, publish) => {
      publish({ type: 'sessions', ids: ['s1'] });
      publish({ type: 'role', userId: 'u1', role: Role.Admin });
    });
    const now = Math.ceil(Date.now() / 1000);
    list.sweep(now + 60);
    expect(list.size).toBe(2);
    list.sweep(now + config.accessTtlSeconds + config.clockToleranceSeconds + 2);
    expect(list.size).toBe(0);
    expect(list.isRevoked(subject)).toBe(false);
  });

  it('publishes nothing when the work is rolled back', async () => {
    // The work runs and publishes, then the commit fails.
    const failing = {
      transaction: async (work: (manager: unknown) => Promise<unknown>) => {
        await work({ query: async () => undefined });
        throw new Error('rolled back');
      },
    } as unknown as DataSource;
    const rolledBack = new RevocationList(failing, channelOver(failing), config);
    await expect(rolledBack.commit(async (_manager, publish) => publish({ type: 'sessions', ids: ['s1'] }))).rejects.toThrow('rolled back');
    expect(rolledBack.isRevoked(subject)).toBe(false);
  });

  it('is not trusted before its channel is connected', () => {
    expect(list.inSync).toBe(false);
  });

  it('out of sync, asks the database about the session and the account owner about the account', async () => {
    const sessionsTable = { query: async () => [{ live: true }] } as unknown as DataSource;
    const fallback = new RevocationList(sessionsTable, channelOver(sessionsTable), config);
    const holders = new Set(['u1:user']);
    fallback.useAccounts({
      roleChangesWithin: async () => [],
      holdsRole: async (userId, role) => holders.has(`${userId}:${role}`),
    });
    await expect(fallback.isRevokedInDatabase(subject)).resolves.toBe(false);
    holders.clear();
    await expect(fallback.isRevokedInDatabase(subject)).resolves.toBe(true);
  });

  it('fails closed when nobody told it where accounts live', async () => {
    const sessionsTable = { query: async () => [{ live: true }] } as unknown as DataSource;
    const unwired = new RevocationList(sessionsTable, channelOver(sessionsTable), config);
    await expect(unwired.isRevokedInDatabase(subject)).rejects.toThrow(/AccountStates/);
  });
});
