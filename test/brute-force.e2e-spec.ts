import { randomInt } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../src/auth/password.js';
import { createTestApp, PASSWORD, registerUser, uniqueEmail, useTestApp, type TestApp } from './utils/test-app.js';

/** A client address of its own for each test, honoured because TRUST_PROXY is on. */
const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const LIMITS = { RATE_LIMIT_AUTH: '5', LOCKOUT_THRESHOLD: '3', LOCKOUT_MINUTES: '1', TRUST_PROXY: 'true' };

describe(`brute-force protection (${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'} counters)`, () => {
  const test = useTestApp(LIMITS);

  const loginFrom = (app: TestApp, ip: string, email: string, password: string) =>
    app.http().post('/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  /** Registration is rate limited too: each account comes from an address of its own. */
  async function registerFromNewIp(): Promise<{ id: string; email: string }> {
    const email = uniqueEmail();
    const response = await test.http().post('/auth/register').set('X-Forwarded-For', newIp()).send({ email, password: PASSWORD }).expect(201);
    return { id: response.body.user.id, email };
  }

  it('answers 429 with Retry-After over RATE_LIMIT_AUTH per IP, before any bcrypt work', async () => {
    const ip = newIp();
    const verify = jest.spyOn(test.app.get(PasswordHasher), 'verify');
    try {
      for (let i = 0; i < 5; i += 1) await loginFrom(test, ip, uniqueEmail('spray'), 'wrong password 1').expect(401);
      const calls = verify.mock.calls.length;
      const refused = await loginFrom(test, ip, uniqueEmail('spray'), 'wrong password 1').expect(429);
      expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(verify.mock.calls.length).toBe(calls);
    } finally {
      verify.mockRestore();
    }
  });

  it('counts login, register, refresh and session login together, and nothing else', async () => {
    const ip = newIp();
    const { email } = await registerFromNewIp();
    const calls = [
      () => test.http().post('/auth/register').set('X-Forwarded-For', ip).send({ email: uniqueEmail(), password: PASSWORD }),
      () => test.http().post('/auth/refresh').set('X-Forwarded-For', ip).send({ refreshToken: 'x.y.z' }),
      () => test.http().post('/auth/session/login').set('X-Forwarded-For', ip).send({ email, password: 'wrong password 2' }),
      () => loginFrom(test, ip, email, PASSWORD),
      () => loginFrom(test, ip, email, PASSWORD),
    ];
    for (const call of calls) expect((await call()).status).not.toBe(429);
    const login = await loginFrom(test, newIp(), email, PASSWORD).expect(200);
    for (let i = 0; i < 10; i += 1) {
      await test.http().get('/auth/me').set('X-Forwarded-For', ip).set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    }
    await test.http().post('/auth/register').set('X-Forwarded-For', ip).send({ email: uniqueEmail(), password: PASSWORD }).expect(429);
  });

  it('locks an account after LOCKOUT_THRESHOLD failures, from any IP, even for the right password', async () => {
    const { email } = await registerFromNewIp();
    for (let i = 0; i < 3; i += 1) await loginFrom(test, newIp(), email, 'wrong password 3').expect(401);
    const locked = await loginFrom(test, newIp(), email, PASSWORD).expect(429);
    expect(locked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'AUTH_LOCKED' });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await test.http().post('/auth/session/login').set('X-Forwarded-For', newIp()).send({ email, password: PASSWORD }).expect(429);
  });

  it('locks an unknown email exactly like a real one', async () => {
    const real = (await registerFromNewIp()).email;
    const unknown = uniqueEmail('ghost');
    const answers = [];
    for (const email of [real, unknown]) {
      for (let i = 0; i < 3; i += 1) await loginFrom(test, newIp(), email, 'wrong password 4').expect(401);
      const response = await loginFrom(test, newIp(), email, 'wrong password 4').expect(429);
      answers.push(response.body);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it('lets no more than LOCKOUT_THRESHOLD guesses reach bcrypt, even when they arrive at once', async () => {
    const { id, email } = await registerFromNewIp();
    const verify = jest.spyOn(test.app.get(PasswordHasher), 'verify');
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => loginFrom(test, newIp(), email, 'wrong password 7')));
      const statuses = answers.map((response) => response.status).sort();
      expect(statuses).toEqual([...Array(3).fill(401), ...Array(9).fill(429)]);
      expect(verify).toHaveBeenCalledTimes(3);
      const [audit] = await test.app.get(DataSource).query("SELECT count(*)::int AS lockouts FROM audit_events WHERE user_id = $1 AND type = 'lockout'", [id]);
      expect(audit.lockouts).toBe(1);
    } finally {
      verify.mockRestore();
    }
  });

  it('starts the count again after a successful login', async () => {
    const { email } = await registerFromNewIp();
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 2; i += 1) await loginFrom(test, newIp(), email, 'wrong password 5').expect(401);
      await loginFrom(test, newIp(), email, PASSWORD).expect(200);
    }
  });

  it('shares the per-IP count between instances', async () => {
    const other = await createTestApp(LIMITS);
    try {
      const ip = newIp();
      for (let i = 0; i < 5; i += 1) await loginFrom(i % 2 ? test : other, ip, uniqueEmail('spray'), 'wrong password 6').expect(401);
      await loginFrom(other, ip, uniqueEmail('spray'), 'wrong password 6').expect(429);
      await loginFrom(test, ip, uniqueEmail('spray'), 'wrong password 6').expect(429);
    } finally {
      await other.close();
    }
  });
});

describe('client IP without TRUST_PROXY', () => {
  const test = useTestApp({ RATE_LIMIT_AUTH: '3' });

  it('ignores X-Forwarded-For, so a client cannot dodge the limit by inventing addresses', async () => {
    // Without TRUST_PROXY every request counts against 127.0.0.1 (which other spec files use
    // too), so the 429 comes within a few requests whatever X-Forwarded-For says.
    let refused = false;
    for (let i = 0; i < 10 && !refused; i += 1) {
      const response = await test.http().post('/auth/refresh').set('X-Forwarded-For', newIp()).send({ refreshToken: 'x.y.z' });
      refused = response.status === 429;
    }
    expect(refused).toBe(true);
  });
});

describe('client IP with TRUST_PROXY as a hop count', () => {
  const test = useTestApp({ TRUST_PROXY: '1' });

  it('takes the address the nearest proxy saw, not the entries the client wrote before it', async () => {
    const { email } = await registerUser(test);
    const real = newIp();
    const login = await test.http().post('/auth/login').set('X-Forwarded-For', `203.0.113.7, ${real}`).send({ email, password: PASSWORD }).expect(200);
    const sessions = await test.http().get('/auth/sessions').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(sessions.body.map((session: { ip: string }) => session.ip)).toEqual([real]);
  });
});
