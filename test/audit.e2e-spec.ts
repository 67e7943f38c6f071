import { randomUUID } from 'node:crypto';
import { AuditEventType } from '../src/audit/audit-event-type.enum.js';
import { AuditService } from '../src/audit/audit.service.js';
import { PASSWORD, signUp, signUpAdmin, useTestApp, type SignedIn } from './utils/test-app.js';

/** Every key of a JSON value, at any depth. */
const keysOf = (value: unknown): string[] =>
  value && typeof value === 'object' ? Object.entries(value).flatMap(([key, nested]) => [key, ...keysOf(nested)]) : [];

describe('audit log', () => {
  const test = useTestApp();
  let admin: SignedIn;

  beforeAll(async () => {
    admin = await signUpAdmin(test);
  });

  const eventsOf = async (userId: string, query = '') =>
    (await test.http().get(`/admin/audit?userId=${userId}${query}`).set(admin.bearer).expect(200)).body;

  it('records the life of an account, newest first, with ip and user agent', async () => {
    const user = await signUp(test);
    await test.http().post('/auth/login').set('User-Agent', 'Audit/1.0').send({ email: user.email, password: 'not the password' }).expect(401);
    const renewed = await test.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    await test.http().post('/users/me/password').set(user.bearer).send({ currentPassword: PASSWORD, newPassword: 'a new and better passphrase' }).expect(204);
    await test.http().post('/auth/logout').set('Authorization', `Bearer ${renewed.body.accessToken}`).expect(204);

    const page = await eventsOf(user.id);
    expect(page.items.map((event: { type: string }) => event.type)).toEqual([
      'logout', 'password_changed', 'refresh', 'login_failed', 'login_succeeded', 'email_verification_sent', 'registered',
    ]);
    const failed = page.items.find((event: { type: string }) => event.type === 'login_failed');
    expect(failed).toMatchObject({ userId: user.id, userAgent: 'Audit/1.0', ip: expect.any(String), details: { reason: 'wrong_password' } });
    expect(JSON.stringify(page)).not.toMatch(/not the password|better passphrase|\$2b\$|eyJ/);
  });

  it('records reuse detection, and admin actions with the admin as actor', async () => {
    const user = await signUp(test);
    const first = await test.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    await test.http().post('/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    await test.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    await test.http().patch(`/admin/users/${user.id}`).set(admin.bearer).send({ role: 'admin' }).expect(200);
    await test.http().patch(`/admin/users/${user.id}`).set(admin.bearer).send({ disabled: true }).expect(200);

    const types = (await eventsOf(user.id)).items.map((event: { type: string }) => event.type);
    expect(types.slice(0, 3)).toEqual(['user_disabled', 'role_changed', 'refresh_reuse_detected']);
    const [roleChange] = (await eventsOf(user.id, '&type=role_changed')).items;
    expect(roleChange).toMatchObject({ actorId: admin.id, details: { from: 'user', to: 'admin' } });
  });

  it('serves what the service recorded, newest first, without secret-looking keys', async () => {
    // No foreign key: the log may name a user that does not (or no longer) exist.
    const userId = randomUUID();
    const audit = test.app.get(AuditService);
    await audit.record({ type: AuditEventType.LoginFailed, userId, details: { reason: 'wrong_password', password: 'hunter2' } });
    await audit.record({ type: AuditEventType.RoleChanged, userId, actorId: admin.id, details: { to: 'admin', meta: { refreshToken: 'r', passwordHash: '$2b$' } } });
    await audit.record({ type: AuditEventType.UserDisabled, userId, actorId: admin.id, client: { ip: '203.0.113.9', userAgent: 'Audit/2.0' } });

    const page = await eventsOf(userId);
    expect(page).toMatchObject({ total: 3, page: 1, limit: 20 });
    expect(page.items.map((event: { type: string }) => event.type)).toEqual(['user_disabled', 'role_changed', 'login_failed']);
    expect(page.items[0]).toMatchObject({ userId, actorId: admin.id, ip: '203.0.113.9', userAgent: 'Audit/2.0', details: null });
    expect(page.items[1].details).toEqual({ to: 'admin', meta: {} });
    expect(keysOf(page).filter((key) => /password|token|secret|hash/i.test(key))).toEqual([]);
    expect(JSON.stringify(page)).not.toMatch(/hunter2|\$2b\$/);

    const byType = await eventsOf(userId, '&type=login_failed');
    expect(byType).toMatchObject({ total: 1, items: [{ type: 'login_failed', details: { reason: 'wrong_password' } }] });
  });

  it('pages through the log', async () => {
    const user = await signUp(test);
    for (let i = 0; i < 3; i += 1) await test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    const first = await eventsOf(user.id, '&page=1&limit=2');
    const second = await eventsOf(user.id, '&page=2&limit=2');
    expect(first).toMatchObject({ total: 6, page: 1, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(second.items[0].id).not.toBe(first.items[1].id);
  });

  it('refuses bad filters with 400, plain users with 403 and anonymous callers with 401', async () => {
    await test.http().get('/admin/audit?type=bogus').set(admin.bearer).expect(400);
    await test.http().get('/admin/audit?userId=not-a-uuid').set(admin.bearer).expect(400);
    await test.http().get('/admin/audit?limit=1000').set(admin.bearer).expect(400);
    const user = await signUp(test);
    await test.http().get('/admin/audit').set(user.bearer).expect(403);
    await test.http().get('/admin/audit').expect(401);
  });
});
