import { DataSource } from 'typeorm';
import { PASSWORD, registerUser, setCookies, useTestApp } from './utils/test-app.js';

/** Production cookies are Secure: over plain HTTP a cookie sign-in must fail loudly, not answer 200 with no cookie. */
describe('cookie sign-in over plain HTTP with Secure cookies', () => {
  describe('without TRUST_PROXY', () => {
    const test = useTestApp({ COOKIE_SECURE: 'true' });

    it.each([
      ['session login', '/auth/session/login', {}],
      ['hybrid login', '/auth/login', { transport: 'cookie' }],
    ])('refuses a %s with a code naming what to set, and opens no session', async (_label, path, extra) => {
      const { id, email } = await registerUser(test);
      const response = await test.http().post(path).send({ email, password: PASSWORD, ...extra });
      expect([response.status, response.body.code]).toEqual([403, 'AUTH_INSECURE_TRANSPORT']);
      expect(response.body.message).toMatch(/TRUST_PROXY/);
      expect(response.body.message).toMatch(/COOKIE_SECURE/);
      expect(response.headers['set-cookie']).toBeUndefined();
      const [row] = await test.app.get(DataSource).query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [id]);
      expect(row.n).toBe(0);
    });

    it('still answers a Bearer login (no cookie involved)', async () => {
      const { email } = await registerUser(test);
      await test.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    });
  });

  describe('behind a trusted TLS proxy', () => {
    const test = useTestApp({ COOKIE_SECURE: 'true', TRUST_PROXY: '1' });

    it('signs in when the proxy says https, and refuses when it does not', async () => {
      const { email } = await registerUser(test);
      const response = await test.http().post('/auth/session/login').set('X-Forwarded-Proto', 'https').send({ email, password: PASSWORD }).expect(200);
      expect(setCookies(response)['__Host-sid'].attributes.secure).toBe(true);
      const plain = await test.http().post('/auth/session/login').set('X-Forwarded-Proto', 'http').send({ email, password: PASSWORD });
      expect(plain.body.code).toBe('AUTH_INSECURE_TRANSPORT');
    });
  });
});
