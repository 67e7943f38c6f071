import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { AuthConfig } from '../core/config/auth.config.js';
import type { ThrottleConfig } from '../core/config/throttle.config.js';
import { LoginLockout } from './login-lockout.service.js';

describe('LoginLockout', () => {
  const config: ThrottleConfig = { authRequestsPerMinute: 20, lockoutThreshold: 3, lockoutMinutes: 15 };
  const auth = { jwtSecret: 'k'.repeat(48) } as AuthConfig;

  /** A lockout whose single statement answers `row`, recording every query it was sent. */
  function lockoutAnswering(row: { failures: number; locked_seconds: number | null }) {
    const query = jest.fn(async (_sql: string, _params: unknown[]) => [row]);
    return { lockout: new LoginLockout({ query } as unknown as DataSource, config, auth), query };
  }

  it('lets attempts through up to the threshold and flags the one that locks on failure', async () => {
    await expect(lockoutAnswering({ failures: 2, locked_seconds: null }).lockout.beginAttempt('a@example.com')).resolves.toEqual({ locksOnFailure: false });
    await expect(lockoutAnswering({ failures: 3, locked_seconds: 900 }).lockout.beginAttempt('a@example.com')).resolves.toEqual({ locksOnFailure: true });
  });

  it('refuses beyond the threshold with the seconds left as Retry-After', async () => {
    const refused = lockoutAnswering({ failures: 4, locked_seconds: 412 }).lockout.beginAttempt('a@example.com');
    await expect(refused).rejects.toMatchObject({ code: 'AUTH_LOCKED' });
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 412, status: 429, message: 'Too many failed attempts; try again later' });
  });

  it('never sends the email itself to the database, and keys look-alike spellings together', async () => {
    const { lockout, query } = lockoutAnswering({ failures: 1, locked_seconds: null });
    await lockout.beginAttempt('Ada@Example.com');
    await lockout.beginAttempt(' ada@example.com ');
    await lockout.reset('ADA@EXAMPLE.COM');
    const keys = query.mock.calls.map(([, params]) => params[0]);
    expect(new Set(keys).size).toBe(1);
    expect(String(keys[0])).not.toMatch(/ada|example/i);
    expect(query.mock.calls[0][1]).toEqual([keys[0], 3, 15]);
  });

  it('keys with a secret, so the table cannot be matched against a list of known emails offline', async () => {
    const first = lockoutAnswering({ failures: 1, locked_seconds: null });
    const other = { query: first.query } as unknown as DataSource;
    await first.lockout.beginAttempt('a@example.com');
    await new LoginLockout(other, config, { jwtSecret: 'z'.repeat(48) } as AuthConfig).beginAttempt('a@example.com');
    expect(first.query.mock.calls[0][1][0]).not.toBe(first.query.mock.calls[1][1][0]);
  });
});
