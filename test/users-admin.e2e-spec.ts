import { randomUUID } from 'node:crypto';
import { signUp, signUpAdmin, useTestApp, type SignedIn } from './utils/test-app.js';

describe('users and admin routes', () => {
  const test = useTestApp();
  let admin: SignedIn;
  let user: SignedIn;

  beforeAll(async () => {
    admin = await signUpAdmin(test);
    user = await signUp(test);
  });

  describe('/users/me', () => {
    it('returns the caller without any password field', async () => {
      const response = await test.http().get('/users/me').set(user.bearer).expect(200);
      expect(response.body).toEqual({ id: user.id, email: user.email, name: 'Test User', role: 'user', active: true, emailVerified: false, createdAt: expect.any(String) });
    });

    it('answers 401 without a token', async () => {
      const response = await test.http().get('/users/me').expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'AUTH_REQUIRED' });
    });

    it('updates the name and refuses anything else', async () => {
      const response = await test.http().patch('/users/me').set(user.bearer).send({ name: 'Grace' }).expect(200);
      expect(response.body.name).toBe('Grace');
      await test.http().patch('/users/me').set(user.bearer).send({ name: 'Grace', role: 'admin' }).expect(400);
      await test.http().patch('/users/me').set(user.bearer).send({ passwordHash: 'x' }).expect(400);
      await test.http().patch('/users/me').set(user.bearer).send({ name: '' }).expect(400);
      const me = await test.http().get('/users/me').set(user.bearer).expect(200);
      expect(me.body).toMatchObject({ name: 'Grace', role: 'user' });
    });
  });

  describe('/admin/users', () => {
    it('lists users page by page for an admin', async () => {
      const first = await test.http().get('/admin/users?page=1&limit=1').set(admin.bearer).expect(200);
      expect(first.body).toMatchObject({ page: 1, limit: 1, total: expect.any(Number) });
      expect(first.body.items).toHaveLength(1);
      expect(first.body.total).toBeGreaterThanOrEqual(2);
      const second = await test.http().get('/admin/users?page=2&limit=1').set(admin.bearer).expect(200);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      expect(JSON.stringify(first.body)).not.toMatch(/password|\$2b\$/i);
    });

    it.each(['page=0', 'limit=1000', 'page=abc', 'sort=email'])('answers 400 for ?%s', async (query) => {
      await test.http().get(`/admin/users?${query}`).set(admin.bearer).expect(400);
    });

    it('answers 403 for a plain user and 401 without credentials', async () => {
      const forbidden = await test.http().get('/admin/users').set(user.bearer).expect(403);
      expect(forbidden.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'AUTH_FORBIDDEN_ROLE' });
      await test.http().get('/admin/users').expect(401);
      await test.http().get(`/admin/users/${admin.id}`).set(user.bearer).expect(403);
      await test.http().patch(`/admin/users/${admin.id}`).set(user.bearer).send({ disabled: true }).expect(403);
    });

    it('gets one user, 404 for an unknown id and 400 for a non-uuid', async () => {
      const found = await test.http().get(`/admin/users/${user.id}`).set(admin.bearer).expect(200);
      expect(found.body).toMatchObject({ id: user.id, email: user.email });
      const missing = await test.http().get(`/admin/users/${randomUUID()}`).set(admin.bearer).expect(404);
      expect(missing.body).toEqual({ statusCode: 404, message: 'User not found', error: 'Not Found', code: 'USER_NOT_FOUND' });
      await test.http().get('/admin/users/not-a-uuid').set(admin.bearer).expect(400);
      await test.http().get("/admin/users/1' OR '1'='1").set(admin.bearer).expect(400);
    });

    it('changes a role and disables an account, which then cannot log in', async () => {
      const target = await signUp(test);
      const promoted = await test.http().patch(`/admin/users/${target.id}`).set(admin.bearer).send({ role: 'admin' }).expect(200);
      expect(promoted.body.role).toBe('admin');
      await test.http().patch(`/admin/users/${target.id}`).set(admin.bearer).send({ role: 'root' }).expect(400);
      const disabled = await test.http().patch(`/admin/users/${target.id}`).set(admin.bearer).send({ disabled: true }).expect(200);
      expect(disabled.body.active).toBe(false);
      await test.http().post('/auth/login').send({ email: target.email, password: target.password }).expect(401);
      await test.http().patch(`/admin/users/${target.id}`).set(admin.bearer).send({ disabled: false }).expect(200);
      await test.http().post('/auth/login').send({ email: target.email, password: target.password }).expect(200);
      await test.http().patch(`/admin/users/${randomUUID()}`).set(admin.bearer).send({ disabled: true }).expect(404);
    });
  });

  describe('Swagger', () => {
    it('serves the UI at /docs and documents every route with bearer security', async () => {
      await test.http().get('/docs').expect(200).expect('content-type', /html/);
      const { body: document } = await test.http().get('/docs-json').expect(200);
      expect(document.components.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer' },
        sid: { type: 'apiKey', in: 'cookie' },
        access_token: { type: 'apiKey', in: 'cookie' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      });
      const routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(routes).toEqual(
        expect.arrayContaining([
          'GET /', 'GET /health', 'POST /auth/register', 'POST /auth/login', 'GET /auth/me', 'GET /users/me', 'PATCH /users/me',
          'GET /admin/users', 'GET /admin/users/{id}', 'PATCH /admin/users/{id}', 'DELETE /admin/users/{id}/sessions',
          'POST /auth/refresh', 'POST /auth/logout', 'POST /auth/logout-all', 'GET /auth/sessions', 'DELETE /auth/sessions/{id}',
          'POST /users/me/password', 'POST /auth/session/login', 'POST /auth/session/logout', 'GET /auth/csrf',
          'GET /admin/audit', 'GET /.well-known/jwks.json', 'POST /admin/keys/rotate',
        ]),
      );
      expect(Object.keys(document.paths['/admin/users/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
      // Every route says how it fails, not only how it succeeds.
      for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, { responses: object }>>)) {
        for (const [method, operation] of Object.entries(methods)) {
          const failures = Object.keys(operation.responses).filter((status) => /^[45]/.test(status));
          if (!['/', '/.well-known/jwks.json'].includes(path)) expect({ route: `${method} ${path}`, failures: failures.length > 0 }).toEqual({ route: `${method} ${path}`, failures: true });
        }
      }
      expect(document.paths['/auth/me'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }, { sid: [] }, { access_token: [] }]));
    });
  });
});
