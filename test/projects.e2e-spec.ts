import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { cookieHeader, PASSWORD, registerUser, setCookies, signUp, signUpAdmin, uniqueEmail, useTestApp, type TestApp } from './utils/test-app.js';

/**
 * The example feature module (src/projects/) with each credential a client can hold: its routes in
 * the global-guard style (/projects) and behind an explicit @UseGuards(JwtAuthGuard, RolesGuard)
 * (/admin/projects).
 */
type CredentialName = 'bearer' | 'cookie-jwt' | 'session';

interface Client {
  userId: string;
  email: string;
  /** Headers for a read. */
  read: Record<string, string>;
  /** Headers for a change: cookie credentials add X-CSRF-Token. */
  write: Record<string, string>;
}

const CREDENTIALS: CredentialName[] = ['bearer', 'cookie-jwt', 'session'];

async function signIn(test: TestApp, email: string, credential: CredentialName): Promise<Client> {
  if (credential === 'bearer') {
    const response = await test.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    const bearer = { Authorization: `Bearer ${response.body.accessToken}` };
    return { userId: response.body.user.id, email, read: bearer, write: bearer };
  }
  const response =
    credential === 'cookie-jwt'
      ? await test.http().post('/auth/login').send({ email, password: PASSWORD, transport: 'cookie' }).expect(200)
      : await test.http().post('/auth/session/login').send({ email, password: PASSWORD }).expect(200);
  const set = setCookies(response);
  const name = credential === 'cookie-jwt' ? 'access_token' : 'sid';
  const read = { Cookie: cookieHeader({ [name]: set[name].value, csrf_token: set.csrf_token.value }) };
  return { userId: response.body.user.id, email, read, write: { ...read, 'X-CSRF-Token': response.body.csrfToken } };
}

async function newUser(test: TestApp, credential: CredentialName): Promise<Client> {
  const { email } = await registerUser(test, uniqueEmail('projects'));
  return signIn(test, email, credential);
}

async function createProject(test: TestApp, client: Client, name = `project ${randomUUID().slice(0, 6)}`): Promise<{ id: string; name: string }> {
  const response = await test.http().post('/projects').set(client.write).send({ name }).expect(201);
  return response.body;
}

describe('the example feature module (src/projects)', () => {
  const test = useTestApp();

  describe.each(CREDENTIALS)('with a %s credential (global-guard style)', (credential) => {
    it('creates, lists, reads, renames and deletes its own projects', async () => {
      const client = await newUser(test, credential);
      const created = await test.http().post('/projects').set(client.write).send({ name: 'Moon base' }).expect(201);
      expect(created.body).toEqual({ id: expect.any(String), ownerId: client.userId, name: 'Moon base', createdAt: expect.any(String) });
      const id = created.body.id;
      const second = await createProject(test, client);

      const list = await test.http().get('/projects').set(client.read).expect(200);
      expect(list.body).toMatchObject({ total: 2, page: 1, limit: 20 });
      // Newest first.
      expect(list.body.items.map((project: { id: string }) => project.id)).toEqual([second.id, id]);

      await test.http().get(`/projects/${id}`).set(client.read).expect(200, created.body);
      const renamed = await test.http().patch(`/projects/${id}`).set(client.write).send({ name: 'Mars base' }).expect(200);
      expect(renamed.body).toMatchObject({ id, ownerId: client.userId, name: 'Mars base' });
      await test.http().delete(`/projects/${id}`).set(client.write).expect(204);
      const gone = await test.http().get(`/projects/${id}`).set(client.read).expect(404);
      expect(gone.body.code).toBe('NOT_FOUND');
      expect((await test.http().get('/projects').set(client.read).expect(200)).body.total).toBe(1);
    });

    it("answers 404, never 403, for another user's project, and leaves it untouched", async () => {
      const owner = await signUp(test);
      const theirs = await test.http().post('/projects').set(owner.bearer).send({ name: 'Secret' }).expect(201);
      const intruder = await newUser(test, credential);
      const unknown = randomUUID();
      for (const id of [theirs.body.id, unknown]) {
        const read = await test.http().get(`/projects/${id}`).set(intruder.read).expect(404);
        const update = await test.http().patch(`/projects/${id}`).set(intruder.write).send({ name: 'Mine now' }).expect(404);
        const remove = await test.http().delete(`/projects/${id}`).set(intruder.write).expect(404);
        // The same answer for "exists but not yours" and "does not exist": nothing to learn.
        expect([read.body, update.body, remove.body]).toEqual(Array(3).fill({ statusCode: 404, message: 'No such project', error: 'Not Found', code: 'NOT_FOUND' }));
      }
      expect((await test.http().get('/projects').set(intruder.read).expect(200)).body).toMatchObject({ items: [], total: 0 });
      await test.http().get(`/projects/${theirs.body.id}`).set(owner.bearer).expect(200, theirs.body);
    });

    it('refuses an invalid name, an unknown field and a malformed id with 400', async () => {
      const client = await newUser(test, credential);
      for (const body of [{}, { name: '' }, { name: 42 }, { name: 'x'.repeat(101) }, { name: 'ok', ownerId: randomUUID() }]) {
        const response = await test.http().post('/projects').set(client.write).send(body).expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
      await test.http().get('/projects/not-a-uuid').set(client.read).expect(400);
    });
  });

  describe.each(['cookie-jwt', 'session'] as const)('CSRF with a %s cookie', (credential) => {
    it('refuses every change without X-CSRF-Token with 403 AUTH_CSRF, on both guard styles', async () => {
      const client = await newUser(test, credential);
      const project = await createProject(test, client);
      const withoutCsrf = client.read;
      const attempts = [
        test.http().post('/projects').set(withoutCsrf).send({ name: 'forged' }),
        test.http().patch(`/projects/${project.id}`).set(withoutCsrf).send({ name: 'forged' }),
        test.http().delete(`/projects/${project.id}`).set(withoutCsrf),
        test.http().post('/projects').set({ ...withoutCsrf, 'X-CSRF-Token': 'not-the-token' }).send({ name: 'forged' }),
      ];
      for (const attempt of attempts) {
        const response = await attempt.expect(403);
        expect(response.body.code).toBe('AUTH_CSRF');
      }
      await test.http().get(`/projects/${project.id}`).set(client.read).expect(200, project);

      const { email } = await signUpAdmin(test);
      const admin = await signIn(test, email, credential);
      const refused = await test.http().delete(`/admin/projects/${project.id}`).set(admin.read).expect(403);
      expect(refused.body.code).toBe('AUTH_CSRF');
      await test.http().delete(`/admin/projects/${project.id}`).set(admin.write).expect(204);
    });
  });

  describe('without a credential', () => {
    it('answers 401 on the protected routes of both guard styles', async () => {
      const owner = await signUp(test);
      const project = await createProject(test, { userId: owner.id, email: owner.email, read: owner.bearer, write: owner.bearer });
      const attempts = [
        test.http().get('/projects'),
        test.http().post('/projects').send({ name: 'anonymous' }),
        test.http().get(`/projects/${project.id}`),
        test.http().patch(`/projects/${project.id}`).send({ name: 'anonymous' }),
        test.http().delete(`/projects/${project.id}`),
        test.http().get('/admin/projects'),
        test.http().delete(`/admin/projects/${project.id}`),
        test.http().get('/projects').set({ Authorization: 'Bearer not-a-token' }),
        test.http().get('/admin/projects').set({ Cookie: 'sid=forged.signature' }),
      ];
      for (const attempt of attempts) {
        const response = await attempt.expect(401);
        expect(response.body.code).toMatch(/^AUTH_/);
      }
    });

    it('serves the public route', async () => {
      const before = (await test.http().get('/projects/count').expect(200)).body.total;
      expect(before).toEqual(expect.any(Number));
      const owner = await signUp(test);
      await createProject(test, { userId: owner.id, email: owner.email, read: owner.bearer, write: owner.bearer });
      expect((await test.http().get('/projects/count').expect(200)).body.total).toBeGreaterThan(before);
    });
  });

  describe('the admin routes (explicit @UseGuards(JwtAuthGuard, RolesGuard))', () => {
    it.each(CREDENTIALS)('answer 403 AUTH_FORBIDDEN_ROLE to a plain user with a %s credential', async (credential) => {
      const user = await newUser(test, credential);
      const list = await test.http().get('/admin/projects').set(user.read).expect(403);
      expect(list.body.code).toBe('AUTH_FORBIDDEN_ROLE');
      const project = await createProject(test, user);
      const remove = await test.http().delete(`/admin/projects/${project.id}`).set(user.write).expect(403);
      expect(remove.body.code).toBe('AUTH_FORBIDDEN_ROLE');
      await test.http().get(`/projects/${project.id}`).set(user.read).expect(200);
    });

    it.each(CREDENTIALS)("list every user's projects and delete any of them for an admin with a %s credential", async (credential) => {
      const owner = await signUp(test);
      const project = await createProject(test, { userId: owner.id, email: owner.email, read: owner.bearer, write: owner.bearer });
      const { email } = await signUpAdmin(test);
      const admin = await signIn(test, email, credential);
      const list = await test.http().get('/admin/projects?limit=100').set(admin.read).expect(200);
      expect(list.body).toMatchObject({ page: 1, limit: 100, total: expect.any(Number) });
      expect(list.body.items).toContainEqual(expect.objectContaining({ id: project.id, ownerId: owner.id }));
      await test.http().delete(`/admin/projects/${project.id}`).set(admin.write).expect(204);
      await test.http().delete(`/admin/projects/${project.id}`).set(admin.write).expect(404);
      await test.http().get(`/projects/${project.id}`).set(owner.bearer).expect(404);
    });
  });

  it("goes with its owner: deleting a user deletes the user's projects (ON DELETE CASCADE)", async () => {
    const owner = await signUp(test);
    const project = await createProject(test, { userId: owner.id, email: owner.email, read: owner.bearer, write: owner.bearer });
    const database = test.app.get(DataSource);
    await database.query('DELETE FROM users WHERE id = $1', [owner.id]);
    expect(await database.query('SELECT id FROM projects WHERE id = $1', [project.id])).toEqual([]);
  });
});
