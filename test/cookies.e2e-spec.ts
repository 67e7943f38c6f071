import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { CookieSessionStore } from '../src/sessions/cookie-session.store.js';
import {
  cookieHeader, createTestApp, eventually, login, PASSWORD, registerUser, setCookies, signUp, useTestApp, type TestApp,
} from './utils/test-app.js';

/** A browser-like client: what the server set, sent back as a Cookie header. */
interface CookieClient {
  userId: string;
  email: string;
  cookies: Record<string, string>;
  csrf: string;
}

const store = () => (process.env.REDIS_URL ? 'redis' : 'postgres');

describe(`cookie sessions and the JWT-in-cookie hybrid (${store()} session store)`, () => {
  const test = useTestApp();

  async function sessionLogin(app: TestApp, email: string): Promise<CookieClient & { response: Response }> {
    const response = await app.http().post('/auth/session/login').send({ email, password: PASSWORD }).expect(200);
    const set = setCookies(response);
    return {
      userId: response.body.user.id,
      email,
      cookies: { sid: set.sid.value, csrf_token: set.csrf_token.value },
      csrf: response.body.csrfToken,
      response,
    };
  }

  async function hybridLogin(app: TestApp, email: string): Promise<CookieClient & { refresh: string }> {
    const response = await app.http().post('/auth/login').send({ email, password: PASSWORD, transport: 'cookie' }).expect(200);
    const set = setCookies(response);
    return {
      userId: response.body.user.id,
      email,
      cookies: { access_token: set.access_token.value, csrf_token: set.csrf_token.value },
      refresh: set.refresh_token.value,
      csrf: response.body.csrfToken,
    };
  }

  const withCookies = (client: Pick<CookieClient, 'cookies'>) => ({ Cookie: cookieHeader(client.cookies) });
  const withCsrf = (client: CookieClient) => ({ ...withCookies(client), 'X-CSRF-Token': client.csrf });

  it(`keeps the session payload in ${store()}`, () => {
    expect(test.app.get(CookieSessionStore).backend.name).toBe(store());
  });

  describe('POST /auth/session/login', () => {
    it('sets an HttpOnly, SameSite=Lax session cookie with a bounded Max-Age, and a readable CSRF cookie', async () => {
      const { email } = await registerUser(test);
      const { response } = await sessionLogin(test, email);
      const { sid, csrf_token: csrf } = setCookies(response);
      expect(sid.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
      // @fastify/session bounds the cookie with Expires: the idle timeout (30 min) from now.
      const expiresIn = (Date.parse(sid.attributes.expires as string) - Date.now()) / 1000;
      expect(expiresIn).toBeGreaterThan(1790);
      expect(expiresIn).toBeLessThanOrEqual(1800);
      expect(sid.attributes.secure).toBeUndefined();
      expect(csrf.attributes.httponly).toBeUndefined();
      expect(csrf.value).toBe(response.body.csrfToken);
      expect(response.body.user).toMatchObject({ email });
      expect(JSON.stringify(response.body)).not.toMatch(/password|\$2b\$/i);
    });

    it('issues a different session id at every login', async () => {
      const { email } = await registerUser(test);
      const first = await sessionLogin(test, email);
      const second = await sessionLogin(test, email);
      expect(first.cookies.sid).not.toBe(second.cookies.sid);
    });

    it('answers 401 for wrong credentials without setting a session cookie', async () => {
      const { email } = await registerUser(test);
      const response = await test.http().post('/auth/session/login').send({ email, password: 'wrong password' }).expect(401);
      expect(setCookies(response).sid).toBeUndefined();
    });

    it('lists the cookie session among the devices, with kind "cookie"', async () => {
      const { email } = await registerUser(test);
      const client = await sessionLogin(test, email);
      const sessions = await test.http().get('/auth/sessions').set(withCookies(client)).expect(200);
      expect(sessions.body).toEqual([expect.objectContaining({ kind: 'cookie', current: true })]);
    });
  });

  describe('one guard, three credentials', () => {
    it('answers /users/me and /auth/me for a Bearer token, an access_token cookie and a sid cookie', async () => {
      const bearer = await signUp(test);
      const hybrid = await hybridLogin(test, bearer.email);
      const session = await sessionLogin(test, bearer.email);
      const vias: string[] = [];
      for (const headers of [bearer.bearer, withCookies(hybrid), withCookies(session)]) {
        const profile = await test.http().get('/users/me').set(headers).expect(200);
        expect(profile.body).toMatchObject({ id: bearer.id, email: bearer.email });
        vias.push((await test.http().get('/auth/me').set(headers).expect(200)).body.via);
      }
      expect(vias).toEqual(['bearer', 'cookie-jwt', 'session']);
    });

    it('does not rewrite the session or its cookie on every request', async () => {
      const { email } = await registerUser(test);
      const client = await sessionLogin(test, email);
      const response = await test.http().get('/auth/me').set(withCookies(client)).expect(200);
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('moves the idle deadline once a minute: the first request after it saves the session and sends the cookie again', async () => {
      const { email } = await registerUser(test);
      const client = await sessionLogin(test, email);
      const id = decodeURIComponent(client.cookies.sid).split('.')[0];
      const sessions = test.app.get(CookieSessionStore);
      // Two minutes ago, as far as the stored payload knows (written as the store writes it).
      const twoMinutesAgo = Math.floor(Date.now() / 1000) - 120;
      const stored = sessions.peek(id);
      expect(stored).toBeDefined();
      await new Promise<void>((resolve, reject) => sessions.set(id, { ...stored, seenAt: twoMinutesAgo }, (error) => (error ? reject(error) : resolve())));

      const first = await test.http().get('/auth/me').set(withCookies(client)).expect(200);
      expect(first.body).toMatchObject({ via: 'session', userId: client.userId });
      const renewed = setCookies(first).sid;
      expect(renewed?.value).toBe(client.cookies.sid);
      expect(Date.parse(renewed.attributes.expires as string) - Date.now()).toBeGreaterThan(1790_000);
      expect(sessions.peek(id)?.seenAt).toBeGreaterThanOrEqual(twoMinutesAgo + 119);
      // Within the minute that follows, nothing is written or sent again.
      const next = await test.http().get('/auth/me').set(withCookies(client)).expect(200);
      expect(next.headers['set-cookie']).toBeUndefined();
    });

    it('answers 401 for a tampered session cookie', async () => {
      const { email } = await registerUser(test);
      const client = await sessionLogin(test, email);
      const [id, signature] = client.cookies.sid.split('.');
      const otherId = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
      for (const sid of [`${otherId}.${signature}`, `${id}.${signature.slice(1)}x`, id, 'garbage']) {
        await test.http().get('/auth/me').set(withCookies({ cookies: { sid } })).expect(401);
      }
      await test.http().get('/auth/me').set(withCookies(client)).expect(200);
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated POST without, or with a wrong, X-CSRF-Token and accepts the right one', async () => {
      const { email } = await registerUser(test);
      const client = await sessionLogin(test, email);
      const other = await sessionLogin(test, email);
      const missing = await test.http().patch('/users/me').set(withCookies(client)).send({ name: 'No Header' }).expect(403);
      expect(missing.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'AUTH_CSRF' });
      await test.http().patch('/users/me').set({ ...withCookies(client), 'X-CSRF-Token': 'not-a-token' }).send({ name: 'Wrong' }).expect(403);
      // A real token, but minted for another session, and the cookie matched to it: still refused.
      await test.http().patch('/users/me').set({ Cookie: cookieHeader({ sid: client.cookies.sid, csrf_token: other.csrf }), 'X-CSRF-Token': other.csrf }).send({ name: 'Other' }).expect(403);
      const ok = await test.http().patch('/users/me').set(withCsrf(client)).send({ name: 'With Header' }).expect(200);
      expect(ok.body.name).toBe('With Header');
    });

    it('applies to the hybrid cookie too, and never to Bearer requests', async () => {
      const user = await signUp(test);
      const hybrid = await hybridLogin(test, user.email);
      await test.http().patch('/users/me').set(withCookies(hybrid)).send({ name: 'x' }).expect(403);
      await test.http().patch('/users/me').set(withCsrf(hybrid)).send({ name: 'Hybrid' }).expect(200);
      await test.http().patch('/users/me').set(user.bearer).send({ name: 'Bearer' }).expect(200);
    });

    it('GET /auth/csrf issues a fresh token for the session', async () => {
      const { email } = await registerUser(test);
      const client = await sessionLogin(test, email);
      const response = await test.http().get('/auth/csrf').set(withCookies(client)).expect(200);
      const cookie = setCookies(response).csrf_token;
      expect(cookie.value).toBe(response.body.csrfToken);
      const fresh = { ...client, cookies: { ...client.cookies, csrf_token: cookie.value }, csrf: cookie.value };
      await test.http().patch('/users/me').set(withCsrf(fresh)).send({ name: 'Fresh' }).expect(200);
    });
  });

  describe('logout', () => {
    it('deletes the session server-side and clears the cookie; the old id is then refused', async () => {
      const { email } = await registerUser(test);
      const client = await sessionLogin(test, email);
      await test.http().post('/auth/session/logout').set(withCookies(client)).expect(403);
      const response = await test.http().post('/auth/session/logout').set(withCsrf(client)).expect(204);
      const cleared = setCookies(response).sid;
      expect(cleared.value).toBe('');
      await test.http().get('/auth/me').set(withCookies(client)).expect(401);
      if (store() === 'redis') {
        const id = client.cookies.sid.split('.')[0];
        expect(await test.app.get(CookieSessionStore).backend.load(id, 60)).toBeNull();
      }
    });

    it('logout-all ends cookie and token sessions together', async () => {
      const bearer = await signUp(test);
      const session = await sessionLogin(test, bearer.email);
      const hybrid = await hybridLogin(test, bearer.email);
      await test.http().post('/auth/logout-all').set(withCsrf(session)).expect(204);
      await test.http().get('/auth/me').set(bearer.bearer).expect(401);
      await test.http().get('/auth/me').set(withCookies(session)).expect(401);
      await test.http().get('/auth/me').set(withCookies(hybrid)).expect(401);
    });

    it('a password change ends the cookie sessions on other devices', async () => {
      const bearer = await signUp(test);
      const session = await sessionLogin(test, bearer.email);
      await test.http().post('/users/me/password').set(bearer.bearer).send({ currentPassword: PASSWORD, newPassword: 'another fine passphrase' }).expect(204);
      await test.http().get('/auth/me').set(withCookies(session)).expect(401);
      await test.http().get('/auth/me').set(bearer.bearer).expect(200);
    });
  });

  describe('the hybrid: transport "cookie"', () => {
    it('sets httpOnly token cookies instead of returning the tokens; the refresh cookie only goes to /auth', async () => {
      const { email } = await registerUser(test);
      const response = await test.http().post('/auth/login').send({ email, password: PASSWORD, transport: 'cookie' }).expect(200);
      expect(response.body.accessToken).toBeUndefined();
      expect(response.body.refreshToken).toBeUndefined();
      expect(response.body).toMatchObject({ tokenType: 'Cookie', expiresIn: 900, user: { email } });
      const cookies = setCookies(response);
      expect(cookies.access_token.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/', 'max-age': '900' });
      expect(cookies.refresh_token.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/auth' });
    });

    it('refreshes from the cookie (with the CSRF header) and rotates it', async () => {
      const { email } = await registerUser(test);
      const client = await hybridLogin(test, email);
      const cookies = { ...client.cookies, refresh_token: client.refresh };
      await test.http().post('/auth/refresh').set({ Cookie: cookieHeader(cookies) }).send({}).expect(403);
      const response = await test.http().post('/auth/refresh').set({ Cookie: cookieHeader(cookies), 'X-CSRF-Token': client.csrf }).send({}).expect(200);
      const renewed = setCookies(response);
      expect(renewed.refresh_token.value).not.toBe(client.refresh);
      expect(response.body.accessToken).toBeUndefined();
      const next = { cookies: { access_token: renewed.access_token.value } };
      const principal = await test.http().get('/auth/me').set(withCookies(next)).expect(200);
      expect(principal.body.via).toBe('cookie-jwt');
    });

    it('logout ends the session and clears the cookies', async () => {
      const { email } = await registerUser(test);
      const client = await hybridLogin(test, email);
      const response = await test.http().post('/auth/logout').set(withCsrf(client)).expect(204);
      expect(setCookies(response).access_token.value).toBe('');
      await test.http().get('/auth/me').set(withCookies(client)).expect(401);
    });
  });

  describe('with Secure cookies (as in production)', () => {
    // As behind a TLS-terminating proxy.
    const secure = useTestApp({ COOKIE_SECURE: 'true', TRUST_PROXY: '1' });

    it('marks the cookies Secure and gives them the __Host- / __Secure- prefixes', async () => {
      const { email } = await registerUser(secure);
      const response = await secure.http().post('/auth/login').set('X-Forwarded-Proto', 'https').send({ email, password: PASSWORD, transport: 'cookie' }).expect(200);
      const cookies = setCookies(response);
      expect(Object.keys(cookies).sort()).toEqual(['__Host-access_token', '__Host-csrf_token', '__Secure-refresh_token']);
      for (const cookie of Object.values(cookies)) expect(cookie.attributes.secure).toBe(true);
      expect(cookies['__Host-access_token'].attributes.domain).toBeUndefined();
      const principal = await secure.http().get('/auth/me').set({ Cookie: cookieHeader({ '__Host-access_token': cookies['__Host-access_token'].value }) }).expect(200);
      expect(principal.body.via).toBe('cookie-jwt');
    });
  });
});

describe(`cookie sessions across instances (${store()} session store)`, () => {
  it('a payload is honoured only while its device row is live, even where the revocation was never heard', async () => {
    const [a, b] = await Promise.all([createTestApp(), createTestApp()]);
    try {
      const user = await signUp(a);
      const response = await a.http().post('/auth/session/login').send({ email: user.email, password: PASSWORD }).expect(200);
      const cookies = cookieHeader({ sid: setCookies(response).sid.value });
      const me = await a.http().get('/auth/me').set('Cookie', cookies).expect(200);
      // Ended behind the instances' backs: no notification, no store delete, the payload left in place
      // (as after a failed Redis delete, or a payload saved just after it).
      await a.app.get(DataSource).query(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'admin' WHERE id = $1`, [me.body.sessionId]);
      const refused = await b.http().get('/auth/me').set('Cookie', cookies).expect(401);
      expect(refused.body.code).toBe('AUTH_REQUIRED');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a cookie logout on instance A is refused by instance B within one second', async () => {
    const [a, b] = await Promise.all([createTestApp(), createTestApp()]);
    try {
      const user = await signUp(a);
      const response = await a.http().post('/auth/session/login').send({ email: user.email, password: PASSWORD }).expect(200);
      const set = setCookies(response);
      const cookies = cookieHeader({ sid: set.sid.value, csrf_token: set.csrf_token.value });
      await b.http().get('/auth/me').set('Cookie', cookies).expect(200);
      await a.http().post('/auth/session/logout').set({ Cookie: cookies, 'X-CSRF-Token': response.body.csrfToken }).expect(204);
      const elapsed = await eventually(async () => (await b.http().get('/auth/me').set('Cookie', cookies)).status === 401, 1000);
      expect(elapsed).toBeLessThan(1000);
      await login(a, user.email);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
