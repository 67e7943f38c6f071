import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RevocationList } from '../src/sessions/revocation-list.js';
import { ClusterChannel } from '../src/core/cluster/cluster-channel.js';
import { SessionsService } from '../src/sessions/sessions.service.js';
import { createTestApp, eventually, login, PASSWORD, signUp, signUpAdmin, sleep, useTestApp, type SignedIn, type TestApp } from './utils/test-app.js';

describe('token lifecycle', () => {
  const test = useTestApp();

  const me = (app: TestApp, user: Pick<SignedIn, 'accessToken'>) => app.http().get('/auth/me').set('Authorization', `Bearer ${user.accessToken}`);
  const refresh = (app: TestApp, refreshToken: string) => app.http().post('/auth/refresh').send({ refreshToken });

  describe('refresh rotation', () => {
    it('issues a new pair that works and names the same session', async () => {
      const user = await signUp(test);
      const response = await refresh(test, user.refreshToken).expect(200);
      expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: user.id } });
      expect(response.body.refreshToken).not.toBe(user.refreshToken);
      const before = await me(test, user).expect(200);
      const after = await me(test, response.body).expect(200);
      expect(after.body.sessionId).toBe(before.body.sessionId);
      await refresh(test, response.body.refreshToken).expect(200);
    });

    it('gives ten concurrent refreshes with one token the same single successor, which then works', async () => {
      const user = await signUp(test);
      const responses = await Promise.all(Array.from({ length: 10 }, () => refresh(test, user.refreshToken)));
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
      const successors = new Set(responses.map((response) => response.body.refreshToken));
      expect(successors.size).toBe(1);
      const [successor] = successors;
      const next = await refresh(test, successor).expect(200);
      await me(test, next.body).expect(200);
      for (const response of responses) await me(test, response.body).expect(200);
    });

    it('treats an older token as reuse: 401, and the whole session ends', async () => {
      const user = await signUp(test);
      const first = await refresh(test, user.refreshToken).expect(200);
      const second = await refresh(test, first.body.refreshToken).expect(200);
      const reused = await refresh(test, user.refreshToken).expect(401);
      expect(reused.body.message).toMatch(/reuse/i);
      await refresh(test, second.body.refreshToken).expect(401);
      await me(test, second.body).expect(401);
      await me(test, user).expect(401);
    });

    it('refuses forged, malformed and missing refresh tokens without ending anything', async () => {
      const user = await signUp(test);
      const [sessionId, counter] = user.refreshToken.split('.');
      for (const forged of [`${sessionId}.${counter}.${'A'.repeat(43)}`, `${sessionId}.5.x`, 'garbage']) {
        await refresh(test, forged).expect(401);
      }
      await test.http().post('/auth/refresh').send({}).expect(401);
      await test.http().post('/auth/refresh').send({ refreshToken: 42 }).expect(400);
      await refresh(test, user.refreshToken).expect(200);
    });

    it('refuses to refresh an expired session', async () => {
      const user = await signUp(test);
      await test.app.get(DataSource).query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [user.refreshToken.split('.')[0]]);
      await refresh(test, user.refreshToken).expect(401);
    });

    it('updates lastUsedAt on refresh', async () => {
      const user = await signUp(test);
      const [before] = (await test.http().get('/auth/sessions').set(user.bearer).expect(200)).body;
      await sleep(20);
      const renewed = await refresh(test, user.refreshToken).expect(200);
      const [after] = (await test.http().get('/auth/sessions').set('Authorization', `Bearer ${renewed.body.accessToken}`).expect(200)).body;
      expect(new Date(after.lastUsedAt).getTime()).toBeGreaterThan(new Date(before.lastUsedAt).getTime());
    });
  });

  describe('with a short reuse interval', () => {
    const quick = useTestApp({ REFRESH_REUSE_INTERVAL: '1' });

    it('answers the just-replaced token within the interval, and treats it as reuse after', async () => {
      const user = await signUp(quick);
      const rotated = await refresh(quick, user.refreshToken).expect(200);
      const again = await refresh(quick, user.refreshToken).expect(200);
      expect(again.body.refreshToken).toBe(rotated.body.refreshToken);
      await sleep(1600);
      await refresh(quick, user.refreshToken).expect(401);
      await me(quick, rotated.body).expect(401);
      await refresh(quick, rotated.body.refreshToken).expect(401);
    });
  });

  describe('logout and sessions', () => {
    it('logout ends the access token on the very next request, and its refresh token', async () => {
      const user = await signUp(test);
      await me(test, user).expect(200);
      await test.http().post('/auth/logout').set(user.bearer).expect(204);
      const refused = await me(test, user).expect(401);
      expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'AUTH_SESSION_ENDED' });
      await refresh(test, user.refreshToken).expect(401);
    });

    it('logout-all ends every session of the user', async () => {
      const phone = await signUp(test);
      const laptop = await login(test, phone.email);
      await test.http().post('/auth/logout-all').set(laptop.bearer).expect(204);
      await me(test, phone).expect(401);
      await me(test, laptop).expect(401);
      await refresh(test, phone.refreshToken).expect(401);
    });

    it("lists the caller's sessions and revokes another device", async () => {
      const phone = await signUp(test);
      const laptop = await test.http().post('/auth/login').set('User-Agent', 'Laptop/1.0').send({ email: phone.email, password: PASSWORD }).expect(200);
      const list = await test.http().get('/auth/sessions').set(phone.bearer).expect(200);
      expect(list.body).toHaveLength(2);
      expect(list.body.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
      const other = list.body.find((session: { current: boolean }) => !session.current);
      expect(other).toMatchObject({ kind: 'token', userAgent: 'Laptop/1.0', ip: expect.any(String) });
      await test.http().delete(`/auth/sessions/${other.id}`).set(phone.bearer).expect(204);
      await me(test, laptop.body).expect(401);
      await me(test, phone).expect(200);
      const remaining = await test.http().get('/auth/sessions').set(phone.bearer).expect(200);
      expect(remaining.body).toHaveLength(1);
    });

    it("answers 404 for another user's session id and 400 for a non-uuid", async () => {
      const alice = await signUp(test);
      const bob = await signUp(test);
      const [bobs] = (await test.http().get('/auth/sessions').set(bob.bearer).expect(200)).body;
      await test.http().delete(`/auth/sessions/${bobs.id}`).set(alice.bearer).expect(404);
      await test.http().delete(`/auth/sessions/${randomUUID()}`).set(alice.bearer).expect(404);
      await test.http().delete('/auth/sessions/abc').set(alice.bearer).expect(400);
      await me(test, bob).expect(200);
    });
  });

  describe('password change', () => {
    it('ends every other session and keeps this one', async () => {
      const here = await signUp(test);
      const elsewhere = await login(test, here.email);
      const newPassword = 'a brand new passphrase';
      await test.http().post('/users/me/password').set(here.bearer).send({ currentPassword: PASSWORD, newPassword }).expect(204);
      await me(test, elsewhere).expect(401);
      await refresh(test, elsewhere.refreshToken).expect(401);
      await me(test, here).expect(200);
      await test.http().post('/auth/login').send({ email: here.email, password: PASSWORD }).expect(401);
      await login(test, here.email, newPassword);
    });

    it('refuses a wrong current password with 403 and a short new one with 400', async () => {
      const user = await signUp(test);
      await test.http().post('/users/me/password').set(user.bearer).send({ currentPassword: 'wrong password', newPassword: 'whatever you like' }).expect(403);
      await test.http().post('/users/me/password').set(user.bearer).send({ currentPassword: PASSWORD, newPassword: 'short' }).expect(400);
      await login(test, user.email);
    });
  });

  describe('admin actions', () => {
    let admin: SignedIn;
    beforeAll(async () => {
      admin = await signUpAdmin(test);
    });

    it('disabling a user rejects their tokens at once and refuses login', async () => {
      const user = await signUp(test);
      await test.http().patch(`/admin/users/${user.id}`).set(admin.bearer).send({ disabled: true }).expect(200);
      await me(test, user).expect(401);
      await refresh(test, user.refreshToken).expect(401);
      await test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
    });

    it('DELETE /admin/users/:id/sessions ends all their sessions', async () => {
      const user = await signUp(test);
      const second = await login(test, user.email);
      await test.http().delete(`/admin/users/${user.id}/sessions`).set(admin.bearer).expect(204);
      await me(test, user).expect(401);
      await me(test, second).expect(401);
      await test.http().delete(`/admin/users/${randomUUID()}/sessions`).set(admin.bearer).expect(404);
      await test.http().delete(`/admin/users/${user.id}/sessions`).set(user.bearer).expect(401);
    });

    it('a role change refuses older access tokens; a refresh carries the new role', async () => {
      const user = await signUp(test);
      await test.http().patch(`/admin/users/${user.id}`).set(admin.bearer).send({ role: 'admin' }).expect(200);
      await me(test, user).expect(401);
      const renewed = await refresh(test, user.refreshToken).expect(200);
      const principal = await me(test, renewed.body).expect(200);
      expect(principal.body.role).toBe('admin');
      await test.http().get('/admin/users').set('Authorization', `Bearer ${renewed.body.accessToken}`).expect(200);
    });
  });

  describe('housekeeping', () => {
    it('deletes sessions that expired longer ago than an access token lives', async () => {
      const user = await signUp(test);
      const sessionId = user.refreshToken.split('.')[0];
      const database = test.app.get(DataSource);
      await database.query("UPDATE sessions SET expires_at = now() - interval '2 days' WHERE id = $1", [sessionId]);
      expect(await test.app.get(SessionsService).deleteExpired()).toBeGreaterThanOrEqual(1);
      expect(await database.query('SELECT id FROM sessions WHERE id = $1', [sessionId])).toEqual([]);
    });
  });
});

describe('revocation across instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp(), createTestApp()]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const meOn = (app: TestApp, user: SignedIn) => app.http().get('/auth/me').set(user.bearer);

  it('a logout on instance A is refused by instance B within one second', async () => {
    const user = await signUp(a);
    await meOn(b, user).expect(200);
    await a.http().post('/auth/logout').set(user.bearer).expect(204);
    const elapsed = await eventually(async () => (await meOn(b, user)).status === 401, 1000);
    expect(elapsed).toBeLessThan(1000);
  });

  it('keeps refusing a revoked token after a restart', async () => {
    const user = await signUp(a);
    await a.http().post('/auth/logout').set(user.bearer).expect(204);
    const restarted = await createTestApp();
    try {
      await meOn(restarted, user).expect(401);
    } finally {
      await restarted.close();
    }
  });

  it('falls back to the database while its channel is down, then reconnects and reloads', async () => {
    const revocation = b.app.get(RevocationList);
    const channel = b.app.get(ClusterChannel);
    const user = await signUp(a);
    await meOn(b, user).expect(200);
    const pid = channel.listenerPid;
    expect(pid).toEqual(expect.any(Number));
    await a.app.get(DataSource).query('SELECT pg_terminate_backend($1)', [pid]);
    await eventually(async () => !revocation.inSync, 2000);
    // Revoked while B cannot hear about it: B must still refuse the token.
    await a.http().post('/auth/logout').set(user.bearer).expect(204);
    await meOn(b, user).expect(401);
    await eventually(async () => revocation.inSync, 5000);
    expect(channel.listenerPid).not.toBe(pid);
    await meOn(b, user).expect(401);
    const other = await signUp(a);
    await meOn(b, other).expect(200);
  });
});
