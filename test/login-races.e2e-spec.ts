import { jest } from '@jest/globals';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { Role } from '../src/access/role.enum.js';
import { AccountLifecycle } from '../src/auth/account-lifecycle.service.js';
import { PasswordHasher } from '../src/auth/password.js';
import { SessionGate } from '../src/auth/session-gate.js';
import { RevocationList } from '../src/sessions/revocation-list.js';
import {
  cookieHeader, createTestApp, eventually, PASSWORD, registerUser, setCookies, signUp, signUpAdmin, type Http, type SignedIn, type TestApp, useTestApp,
} from './utils/test-app.js';

/**
 * A login reads the account, spends a bcrypt comparison, then opens a session. A change that
 * commits during that comparison must leave the login without a session.
 */
describe('a login in flight when the account changes', () => {
  // A slow hash widens the window the way a production cost does.
  const test = useTestApp({ BCRYPT_COST: '12' });
  let admin: SignedIn;

  beforeAll(async () => {
    admin = await signUpAdmin(test);
  });

  /**
   * Sends the login, waits until its password is in bcrypt, commits `change`, and only then lets
   * the comparison's (true) result go back to the login. The change thus always commits after
   * the credential check read the account and before the session is opened.
   */
  async function loginDuring(request: () => Http | ReturnType<Http['post']>, change: () => Promise<unknown>): Promise<Response> {
    const hasher = test.app.get(PasswordHasher);
    const realVerify = hasher.verify.bind(hasher);
    let inBcrypt!: () => void;
    const entered = new Promise<void>((resolve) => (inBcrypt = resolve));
    let changeCommitted!: () => void;
    const committed = new Promise<void>((resolve) => (changeCommitted = resolve));
    const spy = jest.spyOn(hasher, 'verify').mockImplementationOnce(async (password, hash) => {
      inBcrypt();
      const matches = await realVerify(password, hash);
      await committed;
      return matches;
    });
    try {
      const login = Promise.resolve(request() as unknown as Promise<Response>);
      await entered;
      await change();
      changeCommitted();
      const response = await login;
      return response;
    } finally {
      spy.mockRestore();
    }
  }

  const tokenLogin = (email: string, password = PASSWORD) => () => test.http().post('/auth/login').send({ email, password });
  const cookieLogin = (email: string, password = PASSWORD) => () => test.http().post('/auth/session/login').send({ email, password });

  async function liveSessions(userId: string): Promise<number> {
    const [row] = await test.app.get(DataSource).query(
      'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()',
      [userId],
    );
    return row.n;
  }

  /**
   * Whatever the login answered, nothing it handed out works: not the access token, not the
   * refresh token, not the session cookie, and not an admin route. The in-memory role entries are
   * swept first, as they are once an access TTL has passed.
   */
  async function expectRefusedEverywhere(app: TestApp, response: Response, userId: string): Promise<void> {
    app.app.get(RevocationList).sweep(Math.ceil(Date.now() / 1000) + 24 * 3600);
    if (response.status === 200) {
      const cookies = setCookies(response);
      const probes: Array<Promise<Response>> = [];
      if (response.body.accessToken) {
        const bearer = { Authorization: `Bearer ${response.body.accessToken}` };
        probes.push(app.http().get('/auth/me').set(bearer), app.http().get('/admin/users').set(bearer));
        probes.push(app.http().post('/auth/refresh').send({ refreshToken: response.body.refreshToken }));
      }
      if (cookies.sid) {
        const cookie = { Cookie: cookieHeader({ sid: cookies.sid.value }) };
        probes.push(app.http().get('/auth/me').set(cookie), app.http().get('/admin/users').set(cookie));
      }
      for (const probe of await Promise.all(probes)) expect([probe.status, probe.body.code]).toEqual([401, expect.any(String)]);
    }
    expect([response.status, response.body.code]).toEqual([401, 'AUTH_ACCOUNT_CHANGED']);
    expect(setCookies(response).sid).toBeUndefined();
    expect(await liveSessions(userId)).toBe(0);
  }

  const disable = (id: string) => () => test.http().patch(`/admin/users/${id}`).set(admin.bearer).send({ disabled: true }).expect(200);
  const demote = (id: string) => () => test.http().patch(`/admin/users/${id}`).set(admin.bearer).send({ role: Role.User }).expect(200);

  describe.each([
    ['token login', tokenLogin],
    ['cookie session login', cookieLogin],
  ])('%s', (_kind, loginWith) => {
    it('gets no session when the account is disabled during bcrypt', async () => {
      const { id, email } = await registerUser(test);
      const response = await loginDuring(loginWith(email), disable(id));
      await expectRefusedEverywhere(test, response, id);
    });

    it('gets no session when the password is changed during bcrypt', async () => {
      const other = await signUp(test);
      const change = () =>
        test.http().post('/users/me/password').set(other.bearer)
          .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' }).expect(204);
      const response = await loginDuring(loginWith(other.email), change);
      // The device that changed the password is the one session left.
      const live = await liveSessions(other.id);
      expect(live).toBe(1);
      expect([response.status, response.body.code]).toEqual([401, 'AUTH_ACCOUNT_CHANGED']);
      await test.http().post('/auth/logout').set(other.bearer).expect(204);
      await expectRefusedEverywhere(test, response, other.id);
    });

    it('gets no admin session when the admin is demoted during bcrypt', async () => {
      const target = await signUpAdmin(test);
      await test.http().post('/auth/logout').set(target.bearer).expect(204);
      const response = await loginDuring(loginWith(target.email), demote(target.id));
      await expectRefusedEverywhere(test, response, target.id);
      // Signing in again now gives the new role.
      const again = await test.http().post('/auth/login').send({ email: target.email, password: PASSWORD }).expect(200);
      expect(again.body.user.role).toBe(Role.User);
      await test.http().get('/admin/users').set({ Authorization: `Bearer ${again.body.accessToken}` }).expect(403);
    });
  });

  it('a re-hash at login never undoes a password change that committed during its bcrypt', async () => {
    // Registered at the suite's cost of 4, so this login (cost 12) re-hashes the password it checked.
    const cheap = await createTestApp();
    let other: SignedIn;
    try {
      other = await signUp(cheap);
    } finally {
      await cheap.close();
    }
    const change = () =>
      test.http().post('/users/me/password').set(other.bearer)
        .send({ currentPassword: PASSWORD, newPassword: 'the password that must stay' }).expect(204);
    const response = await loginDuring(tokenLogin(other.email), change);
    expect(response.body.code).toBe('AUTH_ACCOUNT_CHANGED');
    const old = await test.http().post('/auth/login').send({ email: other.email, password: PASSWORD });
    expect(old.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    await test.http().post('/auth/login').send({ email: other.email, password: 'the password that must stay' }).expect(200);
  });

  it('a session insert waits for a change holding the account and then sees the new stamp', async () => {
    const { id } = await registerUser(test);
    const dataSource = test.app.get(DataSource);
    const [{ security_stamp: stamp }] = await dataSource.query('SELECT security_stamp FROM users WHERE id = $1', [id]);
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [id]);
      await runner.query('UPDATE users SET security_stamp = security_stamp + 1 WHERE id = $1', [id]);
      const open = test.app.get(SessionGate).open({ userId: id, stamp, kind: 'token', client: { ip: null, userAgent: null }, lifetimeSeconds: 60 });
      const outcome = open.then(() => 'opened', (error: { code?: string }) => error.code);
      // The insert is blocked on the row lock, not evaluated against the pre-change row.
      await eventually(async () => {
        const waiting = await dataSource.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO sessions%' AND query LIKE '%FOR SHARE%'`,
        );
        return waiting.length > 0;
      }, 5000);
      await runner.commitTransaction();
      expect(await outcome).toBe('AUTH_ACCOUNT_CHANGED');
    } finally {
      await runner.release();
    }
    expect(await liveSessions(id)).toBe(0);
  });

  it('the lifecycle exposes one call that bumps the stamp and ends every session', async () => {
    const user = await signUp(test);
    const lifecycle = test.app.get(AccountLifecycle);
    const dataSource = test.app.get(DataSource);
    const before = (await dataSource.query('SELECT security_stamp FROM users WHERE id = $1', [user.id]))[0].security_stamp;
    const stamp = await lifecycle.bumpStampAndEndSessions(user.id, 'password_reset');
    expect(stamp).toBe(before + 1);
    expect(await liveSessions(user.id)).toBe(0);
    const refused = await test.http().get('/auth/me').set(user.bearer).expect(401);
    expect(refused.body.code).toBe('AUTH_SESSION_ENDED');
  });
});
