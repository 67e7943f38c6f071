import { randomInt } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { Role } from '../src/access/role.enum.js';
import { AccountLifecycle } from '../src/auth/account-lifecycle.service.js';
import { ConfigurationError } from '../src/core/config/env.validation.js';
import { createTestApp, login, PASSWORD, registerUser, signUpAdmin, uniqueEmail, useTestApp, type TestApp } from './utils/test-app.js';

const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('POST /users/me/password is no password oracle', () => {
  const test = useTestApp({ RATE_LIMIT_AUTH: '4', LOCKOUT_THRESHOLD: '3', LOCKOUT_MINUTES: '1', TRUST_PROXY: 'true' });
  /** Each account from an address of its own: the auth routes share one budget per IP. */
  async function signUpFromNewIp(name?: string) {
    const email = uniqueEmail();
    await test.http().post('/auth/register').set('X-Forwarded-For', newIp()).send({ email, password: PASSWORD, ...(name ? { name } : {}) }).expect(201);
    const response = await test.http().post('/auth/login').set('X-Forwarded-For', newIp()).send({ email, password: PASSWORD }).expect(200);
    return { id: response.body.user.id as string, email, bearer: { Authorization: `Bearer ${response.body.accessToken}` } };
  }
  const change = (bearer: Record<string, string>, ip: string, currentPassword: string, newPassword = 'an entirely new phrase') =>
    test.http().post('/users/me/password').set(bearer).set('X-Forwarded-For', ip).send({ currentPassword, newPassword });

  it('counts wrong current passwords in the account lockout, audits them, and then refuses even the right one', async () => {
    const user = await signUpFromNewIp();
    for (let i = 0; i < 3; i += 1) {
      const wrong = await change(user.bearer, newIp(), `wrong guess ${i}`);
      expect([wrong.status, wrong.body.code]).toEqual([403, 'AUTH_WRONG_PASSWORD']);
    }
    const locked = await change(user.bearer, newIp(), PASSWORD);
    expect([locked.status, locked.body.code]).toEqual([429, 'AUTH_LOCKED']);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The same counter as logins by email: the account is locked there too.
    const loginLocked = await test.http().post('/auth/login').set('X-Forwarded-For', newIp()).send({ email: user.email, password: PASSWORD });
    expect(loginLocked.body.code).toBe('AUTH_LOCKED');
    const rows = await test.app.get(DataSource).query(
      `SELECT type, count(*)::int AS n FROM audit_events WHERE user_id = $1 AND type IN ('password_change_failed', 'lockout') GROUP BY type ORDER BY type`,
      [user.id],
    );
    expect(rows).toEqual([{ type: 'lockout', n: 1 }, { type: 'password_change_failed', n: 3 }]);
  });

  it('is under the per-IP auth rate limit', async () => {
    const user = await signUpFromNewIp();
    const ip = newIp();
    // The fourth is locked out (LOCKOUT_THRESHOLD 3), the fifth over the per-IP budget.
    for (let i = 0; i < 4; i += 1) expect((await change(user.bearer, ip, `wrong guess ${i}`)).body.code).not.toBe('RATE_LIMITED');
    const limited = await change(user.bearer, ip, PASSWORD);
    expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
  });

  it('applies the whole password policy: not the email, its local part, the name or the current password', async () => {
    const user = await signUpFromNewIp('Winifred Bumblebee');
    const { email } = user;
    for (const newPassword of [email, email.split('@')[0], 'Winifred Bumblebee', PASSWORD]) {
      const refused = await change(user.bearer, newIp(), PASSWORD, newPassword);
      expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    await change(user.bearer, newIp(), PASSWORD, 'a genuinely new passphrase').expect(204);
  });
});

describe('the last active admin', () => {
  // "No active admin left" is about the whole table: these tests get a database of their own, so
  // other spec files' admins neither count nor get demoted.
  const database = `gatehouse_admins_${randomInt(1e9)}`;
  let test: TestApp;
  beforeAll(async () => {
    const server = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    await server.query(`CREATE DATABASE ${database}`);
    await server.end();
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${database}`;
    test = await createTestApp({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await test?.close();
    const server = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    await server.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await server.end();
  });

  /** Leaves exactly one active admin in this database. */
  async function onlyAdmin() {
    const admin = await signUpAdmin(test);
    await test.app.get(DataSource).query(`UPDATE users SET role = 'user' WHERE role = 'admin' AND id <> $1`, [admin.id]);
    return admin;
  }

  it('cannot be disabled or demoted, by itself or anyone (409)', async () => {
    const admin = await onlyAdmin();
    const demote = await test.http().patch(`/admin/users/${admin.id}`).set(admin.bearer).send({ role: Role.User });
    expect([demote.status, demote.body.code]).toEqual([409, 'ADMIN_LAST_ACTIVE']);
    const disable = await test.http().patch(`/admin/users/${admin.id}`).set(admin.bearer).send({ disabled: true });
    expect([disable.status, disable.body.code]).toEqual([409, 'ADMIN_LAST_ACTIVE']);
    await test.http().get('/admin/users').set(admin.bearer).expect(200);
  });

  it('two admins demoting each other at once: exactly one succeeds', async () => {
    const a = await onlyAdmin();
    const b = await signUpAdmin(test);
    const lifecycle = test.app.get(AccountLifecycle);
    for (let round = 0; round < 5; round += 1) {
      const outcomes = await Promise.allSettled([
        lifecycle.update(a.id, { role: Role.User }, { id: b.id, client: { ip: null, userAgent: null } }),
        lifecycle.update(b.id, { role: Role.User }, { id: a.id, client: { ip: null, userAgent: null } }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const [refused] = outcomes.filter((outcome) => outcome.status === 'rejected') as PromiseRejectedResult[];
      expect(refused.reason.code).toBe('ADMIN_LAST_ACTIVE');
      const [{ n }] = await test.app.get(DataSource).query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
      expect(n).toBe(1);
      // Promote both again for the next round.
      await lifecycle.update(a.id, { role: Role.Admin });
      await lifecycle.update(b.id, { role: Role.Admin });
    }
  });

  it('a disabled admin does not count as active', async () => {
    const a = await onlyAdmin();
    const b = await signUpAdmin(test);
    await test.http().patch(`/admin/users/${b.id}`).set(a.bearer).send({ disabled: true }).expect(200);
    const refused = await test.http().patch(`/admin/users/${a.id}`).set(a.bearer).send({ role: Role.User });
    expect(refused.body.code).toBe('ADMIN_LAST_ACTIVE');
  });
});

describe('the seeded admin', () => {
  it('is re-enabled and re-promoted at start', async () => {
    const email = uniqueEmail('seeded');
    const first = await createTestApp({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'seeded admin passphrase' });
    try {
      const helper = await signUpAdmin(first);
      const seeded = await login(first, email, 'seeded admin passphrase');
      await first.http().patch(`/admin/users/${seeded.id}`).set(helper.bearer).send({ role: Role.User }).expect(200);
      await first.http().patch(`/admin/users/${seeded.id}`).set(helper.bearer).send({ disabled: true }).expect(200);
      const refused = await first.http().post('/auth/login').send({ email, password: 'seeded admin passphrase' });
      expect(refused.body.code).toBe('AUTH_ACCOUNT_DISABLED');
    } finally {
      await first.close();
    }
    const restarted = await createTestApp({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'seeded admin passphrase' });
    try {
      const admin = await login(restarted, email, 'seeded admin passphrase');
      await restarted.http().get('/admin/users').set(admin.bearer).expect(200);
    } finally {
      await restarted.close();
    }
  });

  it.each([
    ['a common password', 'password'],
    ['its own email', 'ops-admin@example.com'],
    ['the email’s local part', 'ops-admin'],
  ])('refuses to start with %s as ADMIN_PASSWORD, in one line', async (_label, password) => {
    const started = createTestApp({ ADMIN_EMAIL: 'ops-admin@example.com', ADMIN_PASSWORD: password });
    await expect(started).rejects.toThrow(ConfigurationError);
    await expect(started).rejects.toThrow(/^Refusing to start: ADMIN_PASSWORD is not acceptable \([^\n]+\)$/);
  });
});

describe('registration and change share one policy', () => {
  const test = useTestApp();

  it('refuses at registration what it refuses at a change', async () => {
    const email = uniqueEmail('same');
    const refused = await test.http().post('/auth/register').send({ email, password: email.split('@')[0] });
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    const { id } = await registerUser(test, email);
    expect(id).toEqual(expect.any(String));
  });
});
