import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestApp, login, PASSWORD, registerUser, signUp, uniqueEmail, useTestApp } from './utils/test-app.js';

/** Walks a response body and returns every key that smells of a password or hash. */
function secretFields(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => secretFields(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return typeof value === 'string' && /^\$2[aby]\$/.test(value) ? [path] : [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(/password|hash/i.test(key) ? [`${path}.${key}`] : []),
    ...secretFields(child, `${path}.${key}`),
  ]);
}

describe('register and login', () => {
  const test = useTestApp();

  describe('POST /auth/register', () => {
    it('creates a user with a normalised email and never returns the hash', async () => {
      const email = uniqueEmail('Mixed.Case').toUpperCase();
      const response = await test.http().post('/auth/register').send({ email: `  ${email} `, password: PASSWORD, name: 'Ada' }).expect(201);
      expect(response.body.user).toMatchObject({ email: email.toLowerCase(), name: 'Ada', role: 'user' });
      expect(response.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(secretFields(response.body)).toEqual([]);
    });

    it.each([
      ['a missing email', { password: PASSWORD }],
      ['an invalid email', { email: 'not-an-email', password: PASSWORD }],
      ['a short password', { email: uniqueEmail(), password: 'short' }],
      ['a common password', { email: uniqueEmail(), password: 'Password123' }],
      ['the email as password', { email: 'same@example.com', password: 'same@example.com' }],
      ['a password that is not a string', { email: uniqueEmail(), password: 12345678 }],
      ['an unknown field', { email: uniqueEmail(), password: PASSWORD, isAdmin: true }],
    ])('answers 400 for %s', async (_case, body) => {
      const response = await test.http().post('/auth/register').send(body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(response.body.message.length).toBeGreaterThan(0);
    });

    it('refuses a role in the body instead of making an admin', async () => {
      const email = uniqueEmail();
      await test.http().post('/auth/register').send({ email, password: PASSWORD, role: 'admin' }).expect(400);
      const users = await test.app.get(DataSource).query('SELECT role FROM users WHERE email = $1', [email]);
      expect(users).toEqual([]);
    });

    it('answers 409 for a duplicate email, including case and whitespace variants', async () => {
      const email = uniqueEmail();
      await registerUser(test, email);
      const duplicate = await test.http().post('/auth/register').send({ email, password: PASSWORD }).expect(409);
      expect(duplicate.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'USER_EMAIL_TAKEN' });
      await test.http().post('/auth/register').send({ email: ` ${email.toUpperCase()}`, password: PASSWORD }).expect(409);
    });

    it('lets exactly one of 20 simultaneous registrations of one email succeed', async () => {
      const email = uniqueEmail('race');
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => test.http().post('/auth/register').send({ email: i % 2 ? email : email.toUpperCase(), password: PASSWORD })),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(19);
      const rows = await test.app.get(DataSource).query('SELECT count(*)::int AS n FROM users WHERE lower(email) = $1', [email]);
      expect(rows[0].n).toBe(1);
    });

    it('answers 400 for malformed JSON and 413 for a huge body, in the usual error shape', async () => {
      const malformed = await test.http().post('/auth/register').set('content-type', 'application/json').send('{"email": ').expect(400);
      expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'BAD_REQUEST' });
      const huge = await test.http().post('/auth/register').send({ email: uniqueEmail(), password: PASSWORD, name: 'x'.repeat(100_000) }).expect(413);
      expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE' });
    });

    it('answers 400 when the body is not an object', async () => {
      for (const body of ['"text"', '[1,2]', 'null', '42']) {
        const response = await test.http().post('/auth/register').set('content-type', 'application/json').send(body);
        expect(response.status).toBe(400);
      }
    });
  });

  describe('POST /auth/login', () => {
    it('returns a bearer access token for valid credentials with 200', async () => {
      const { email, id } = await registerUser(test);
      const response = await test.http().post('/auth/login').send({ email: email.toUpperCase(), password: PASSWORD }).expect(200);
      expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id, email } });
      expect(response.body.accessToken.split('.')).toHaveLength(3);
      expect(secretFields(response.body)).toEqual([]);
    });

    it('answers the same 401 for a wrong password and an unknown email', async () => {
      const { email } = await registerUser(test);
      const wrong = await test.http().post('/auth/login').send({ email, password: 'not the password' }).expect(401);
      const unknown = await test.http().post('/auth/login').send({ email: uniqueEmail('nobody'), password: PASSWORD }).expect(401);
      expect(wrong.body).toEqual({ statusCode: 401, message: 'Invalid credentials', error: 'Unauthorized', code: 'AUTH_INVALID_CREDENTIALS' });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('answers 400 for a login body that is not two strings', async () => {
      await test.http().post('/auth/login').send({ email: { $gt: '' }, password: PASSWORD }).expect(400);
      await test.http().post('/auth/login').send({}).expect(400);
    });

    it('refuses a disabled user', async () => {
      const user = await signUp(test);
      await test.app.get(DataSource).query('UPDATE users SET disabled_at = now() WHERE id = $1', [user.id]);
      const response = await test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
      expect(response.body.statusCode).toBe(401);
    });
  });

  describe('the global guard', () => {
    it('answers GET /auth/me with the principal the token carries', async () => {
      const user = await signUp(test);
      const response = await test.http().get('/auth/me').set(user.bearer).expect(200);
      expect(response.body).toEqual({ userId: user.id, role: 'user', sessionId: expect.any(String), via: 'bearer', amr: ['pwd'], mfa: false });
    });

    it('accepts the Bearer scheme in any case', async () => {
      const user = await signUp(test);
      await test.http().get('/users/me').set('Authorization', `bEaReR ${user.accessToken}`).expect(200);
    });

    it.each([
      ['no token', undefined],
      ['a garbage token', 'Bearer not.a.token'],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
    ])('answers 401 for %s (forged and tampered tokens: attacks.e2e-spec.ts)', async (_case, header) => {
      const call = test.http().get('/users/me');
      if (header) call.set('Authorization', header);
      const response = await call.expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    it('signs with HS256 and the configured issuer and audience', async () => {
      const user = await signUp(test);
      const [header, payload, signature] = user.accessToken.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ sub: user.id, iss: 'gatehouse', aud: 'gatehouse', role: 'user' });
      const expected = createHmac('sha256', process.env.JWT_SECRET as string).update(`${header}.${payload}`).digest('base64url');
      expect(signature).toBe(expected);
    });
  });

  describe('public routes', () => {
    it('serves GET / without credentials', async () => {
      const response = await test.http().get('/').expect(200);
      expect(response.body).toEqual({ name: 'gatehouse', version: expect.any(String), docs: '/docs' });
    });

    it('reports the database in GET /health', async () => {
      const response = await test.http().get('/health').expect(200);
      expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });

    it('answers GET /health with 503 when the database does not answer', async () => {
      const broken = await createTestApp();
      try {
        await broken.app.get(DataSource).destroy();
        const response = await broken.http().get('/health').expect(503);
        expect(response.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      } finally {
        await broken.close();
      }
    });

    it('sends the usual security headers', async () => {
      const response = await test.http().get('/').expect(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-powered-by']).toBeUndefined();
    });
  });

  it('re-hashes on login a password hashed with a lower cost than configured', async () => {
    const { email } = await registerUser(test);
    const stronger = await createTestApp({ BCRYPT_COST: '6' });
    try {
      await login(stronger, email);
      const [row] = await stronger.app.get(DataSource).query('SELECT password_hash FROM users WHERE email = $1', [email]);
      expect(row.password_hash).toMatch(/^\$2b\$06\$/);
      await login(stronger, email);
    } finally {
      await stronger.close();
    }
  });

  it('logs in with the default bcrypt cost of 12', async () => {
    const production = await createTestApp({ BCRYPT_COST: '12' });
    try {
      const { email } = await registerUser(production);
      const rows = await production.app.get(DataSource).query('SELECT password_hash FROM users WHERE email = $1', [email]);
      expect(rows[0].password_hash).toMatch(/^\$2b\$12\$/);
      await login(production, email);
    } finally {
      await production.close();
    }
  });
});
