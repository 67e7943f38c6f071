import { connect } from 'node:net';
import { Logger } from '@nestjs/common';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ClusterChannel } from '../src/core/cluster/cluster-channel.js';
import { CookieSessionStore } from '../src/sessions/cookie-session.store.js';
import { RevocationList } from '../src/sessions/revocation-list.js';
import { startOwnPostgres, startOwnRedis, TcpProxy, timed, type OwnPostgres, type OwnRedis } from './utils/faults.js';
import { cookieHeader, createTestApp, eventually, setCookies, signUp, uniqueEmail, PASSWORD, type SignedIn, type TestApp } from './utils/test-app.js';

/**
 * Faults: PostgreSQL and Redis stopped, slowed and silently cut, on dependencies of this file's
 * own (never the shared services), with a TCP proxy in between. Each test reproduces a fault,
 * then asserts the safe behaviour: no revoked credential accepted, 503 (never 500) with
 * Retry-After, every wait bounded, recovery without a restart. Bounds are asserted with slack
 * for a loaded two-core machine.
 */
jest.setTimeout(60_000);

/** Short timeouts keep the suite fast; the defaults are documented in the README. */
const LIMITS = {
  CLUSTER_HEARTBEAT_MS: '250',
  CLUSTER_HEARTBEAT_TIMEOUT_MS: '1500',
  DB_CONNECT_TIMEOUT_MS: '1500',
  DB_STATEMENT_TIMEOUT_MS: '1500',
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000',
  REDIS_COMMAND_TIMEOUT_MS: '500',
  STARTUP_TIMEOUT: '5',
  // Only the Redis tests use Redis, and only their own.
  REDIS_URL: '',
};
/** A request that depends on a failing PostgreSQL ends within this (statement + connect + slack). */
const DATABASE_BOUND_MS = 1500 + 1500 + 1000 + 4000;

let postgres: OwnPostgres;

beforeAll(async () => {
  postgres = await startOwnPostgres();
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
});

const me = (test: TestApp, user: SignedIn) => test.http().get('/auth/me').set(user.bearer);

/** Signs in with a cookie session; returns the Cookie header that carries it. */
async function cookieSession(test: TestApp, email: string): Promise<{ Cookie: string }> {
  const response = await test.http().post('/auth/session/login').send({ email, password: PASSWORD }).expect(200);
  return { Cookie: cookieHeader({ sid: setCookies(response).sid.value }) };
}

/** Forgets cached cookie sessions, so the next request must read the store. */
function forgetCachedSessions(test: TestApp): void {
  (test.app.get(CookieSessionStore) as unknown as { cache: { clear(): void } }).cache.clear();
}

function expectUnavailable(response: { status: number; headers: Record<string, string>; body: { code?: string } }): void {
  expect({ status: response.status, code: response.body.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

describe('a silently dead LISTEN connection (two instances, one database)', () => {
  let proxy: TcpProxy;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    proxy = await new TcpProxy(postgres.port).start();
    a = await createTestApp({ ...LIMITS, DATABASE_URL: postgres.url });
    // B reaches the database through the proxy, so its listening connection can be cut alone.
    b = await createTestApp({ ...LIMITS, DATABASE_URL: postgres.via(proxy.port) });
    await eventually(async () => a.app.get(ClusterChannel).alive && b.app.get(ClusterChannel).alive, 10_000);
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await proxy?.stop();
  });

  it('delivers a logout on A to B within a second while the channel is healthy', async () => {
    const user = await signUp(a);
    await me(b, user).expect(200);
    const sessionId = (await me(a, user)).body.sessionId as string;
    await a.http().post('/auth/logout').set(user.bearer).expect(204);
    const delay = await eventually(async () => b.app.get(RevocationList).isSessionRevoked(sessionId), 1000, 1);
    expect(delay).toBeLessThan(1000);
    await me(b, user).expect(401);
  });

  it('stops trusting its list within the heartbeat deadline, refuses the revoked token, logs it, and recovers', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const channel = b.app.get(ClusterChannel);
    const user = await signUp(a);
    await me(b, user).expect(200);

    // B's listening connection stops delivering, and nothing is closed.
    const [{ client_port: port }] = await a.app.get(DataSource).query('SELECT client_port FROM pg_stat_activity WHERE pid = $1', [channel.listenerPid]);
    expect(proxy.freezeByUpstreamPort(port)).toBe(true);
    const frozenPid = channel.listenerPid;
    await a.http().post('/auth/logout').set(user.bearer).expect(204);

    // The notification never reaches B; B must refuse the token anyway, once its deadline passed.
    const detected = await eventually(async () => (await me(b, user)).status === 401, channel.maxSilenceMs + 5000, 50);
    expect(detected).toBeLessThan(channel.maxSilenceMs + 5000);
    expect(warnings.mock.calls.some(([message]) => String(message).includes('Cluster channel lost'))).toBe(true);
    warnings.mockRestore();

    // From then on it never accepts it again: while out of sync (the database decides) and after.
    await eventually(async () => channel.alive && channel.listenerPid !== frozenPid, 15_000, 50);
    for (let i = 0; i < 5; i += 1) await me(b, user).expect(401);
    // Back in sync, memory-only again: a fresh token works, a new revocation arrives by NOTIFY.
    const other = await signUp(a);
    await me(b, other).expect(200);
    await a.http().post('/auth/logout').set(other.bearer).expect(204);
    await eventually(async () => (await me(b, other)).status === 401, 2000);
  });
});

describe('PostgreSQL outages answer 503, bounded, and recover without a restart', () => {
  let proxy: TcpProxy;
  let test: TestApp;
  let user: SignedIn;

  beforeAll(async () => {
    proxy = await new TcpProxy(postgres.port).start();
    test = await createTestApp({ ...LIMITS, DATABASE_URL: postgres.via(proxy.port) });
    user = await signUp(test);
  }, 60_000);

  afterAll(async () => {
    proxy?.restore();
    await test?.close();
    await proxy?.stop();
  });

  afterEach(() => proxy.restore());

  async function recovers(): Promise<void> {
    await eventually(async () => (await test.http().get('/health/ready')).status === 200, 20_000, 100);
    const login = await test.http().post('/auth/login').send({ email: user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    user = { ...user, accessToken: login.body.accessToken, bearer: { Authorization: `Bearer ${login.body.accessToken}` } };
    await test.http().get('/users/me').set(user.bearer).expect(200);
  }

  it('database down: every route that needs it answers 503 with Retry-After, liveness stays 200', async () => {
    const session = await cookieSession(test, user.email);
    proxy.refuse();
    const { value: login, ms } = await timed(() => test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }));
    expectUnavailable(login);
    expect(ms).toBeLessThan(DATABASE_BOUND_MS);
    expectUnavailable(await test.http().post('/auth/register').send({ email: uniqueEmail(), password: PASSWORD, name: 'X' }));
    expectUnavailable(await test.http().get('/users/me').set(user.bearer));
    // /auth/me needs no database while the channel is proven; once it is not, the guard asks
    // the database, which is down: 503, never a 500 and never an unchecked 200.
    await eventually(async () => !test.app.get(ClusterChannel).alive, 5000);
    expectUnavailable(await me(test, user));
    expectUnavailable(await test.http().get('/auth/me').set(session));
    forgetCachedSessions(test);
    expectUnavailable(await test.http().get('/auth/me').set(session));
    const health = await test.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body.details.database.status).toBe('down');
    expect((await test.http().get('/health/ready')).status).toBe(503);
    await test.http().get('/health/live').expect(200);

    proxy.restore();
    await recovers();
  });

  it('database silently unreachable: requests end with 503 within their bound, then recover', async () => {
    proxy.blackhole();
    const results = await Promise.all(
      [
        () => test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }),
        () => test.http().get('/users/me').set(user.bearer),
        () => test.http().get('/health/ready'),
      ].map((send) => timed(send)),
    );
    for (const { value, ms } of results) {
      expect(value.status).toBe(503);
      expect(ms).toBeLessThan(DATABASE_BOUND_MS);
    }
    expectUnavailable(results[0].value);
    proxy.restore();
    await recovers();
  });

  it('a locked table: the statement timeout turns the wait into a bounded 503', async () => {
    const blocker = postgres.url;
    const { Client } = (await import('pg')).default;
    const locker = new Client({ connectionString: blocker });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      const { value, ms } = await timed(() => test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }));
      expectUnavailable(value);
      expect(ms).toBeLessThan(DATABASE_BOUND_MS);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    await recovers();
  });

  it('a slow database: logins slow down within bounds, Bearer /auth/me keeps its latency', async () => {
    await me(test, user).expect(200);
    proxy.latencyMs = 150;
    try {
      const { value: login, ms: loginMs } = await timed(() => test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }));
      expect(login.status).toBe(200);
      // Several round trips, each 2 × 150 ms slower.
      expect(loginMs).toBeGreaterThan(300);
      expect(loginMs).toBeLessThan(DATABASE_BOUND_MS);
      // The channel's heartbeat still comes back within its deadline, so the guard stays in memory.
      const channel = test.app.get(ClusterChannel);
      const samples: number[] = [];
      for (let i = 0; i < 9; i += 1) {
        await eventually(async () => channel.alive, 5000);
        const { value, ms } = await timed(() => me(test, user));
        expect(value.status).toBe(200);
        samples.push(ms);
      }
      samples.sort((x, y) => x - y);
      // The median request never touched the slowed database: one round trip costs 300 ms.
      expect(samples[4]).toBeLessThan(300);
    } finally {
      proxy.latencyMs = 0;
    }
  });
});

describe('Redis outages answer 503 and recover without a restart', () => {
  let redis: OwnRedis;
  let proxy: TcpProxy;
  let test: TestApp;

  beforeAll(async () => {
    redis = await startOwnRedis();
    proxy = await new TcpProxy(redis.port).start();
    test = await createTestApp({ ...LIMITS, DATABASE_URL: postgres.url, REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
  }, 60_000);

  afterAll(async () => {
    proxy?.restore();
    await test?.close();
    await proxy?.stop();
    await redis?.stop();
  });

  afterEach(() => proxy.restore());

  const sessionLogin = (email: string) => test.http().post('/auth/session/login').send({ email, password: PASSWORD });

  it.each([
    ['down', () => proxy.refuse()],
    ['silently unreachable', () => proxy.blackhole()],
  ])('Redis %s: login, register and session login answer 503, health says so, then it recovers', async (_label, fault) => {
    const user = await signUp(test);
    const session = await cookieSession(test, user.email);
    fault();
    for (const send of [
      () => test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }),
      () => test.http().post('/auth/register').send({ email: uniqueEmail(), password: PASSWORD, name: 'X' }),
      () => sessionLogin(user.email),
    ]) {
      const { value, ms } = await timed(send);
      expectUnavailable(value);
      expect(ms).toBeLessThan(5000);
    }
    const health = await test.http().get('/health/ready');
    expect(health.status).toBe(503);
    expect(health.body.details.redis.status).toBe('down');
    // A Bearer token needs no Redis; a cookie session whose payload must be read from it does.
    await me(test, user).expect(200);
    forgetCachedSessions(test);
    expectUnavailable(await test.http().get('/auth/me').set(session));

    proxy.restore();
    await eventually(async () => (await sessionLogin(user.email)).status === 200, 20_000, 100);
    await test.http().get('/health/ready').expect(200);
  });
});

describe('HTTP waits are bounded', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp({ ...LIMITS, DATABASE_URL: postgres.url, REQUEST_TIMEOUT_MS: '1500' });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    await test?.close();
  });

  it('a client that declares a body and never sends it loses its connection within REQUEST_TIMEOUT', async () => {
    const { port } = test.app.getHttpServer().address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.write('POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    // requestTimeout + one connections-check interval + slack.
    expect(elapsed).toBeLessThan(1500 + 1000 + 4000);
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });
});
