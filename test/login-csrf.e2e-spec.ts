import { PASSWORD, registerUser, setCookies, signUp, uniqueEmail, useTestApp } from './utils/test-app.js';

/** A cross-site HTML form can post these without a preflight; none of them may sign anyone in. */
describe('login CSRF: bodies are JSON only', () => {
  const test = useTestApp();

  it.each(['/auth/login', '/auth/session/login', '/auth/register'])('refuses a url-encoded form posted to %s with 415', async (path) => {
    const { email } = await registerUser(test);
    const response = await test.http().post(path).type('form').send({ email, password: PASSWORD, transport: 'cookie' });
    expect([response.status, response.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refuses text/plain (a form with enctype="text/plain" can carry a JSON-looking body) and multipart', async () => {
    const { email } = await registerUser(test);
    const json = JSON.stringify({ email, password: PASSWORD });
    const plain = await test.http().post('/auth/session/login').set('Content-Type', 'text/plain').send(json);
    expect([plain.status, plain.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const multipart = await test.http().post('/auth/login').field('email', email).field('password', PASSWORD);
    expect([multipart.status, multipart.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('refuses form bodies on every other route too', async () => {
    const user = await signUp(test);
    const response = await test.http().patch('/users/me').set(user.bearer).type('form').send({ name: 'Form' });
    expect([response.status, response.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('still accepts JSON with a charset', async () => {
    const { email } = await registerUser(test);
    await test.http().post('/auth/login').set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify({ email, password: PASSWORD })).expect(200);
  });
});

describe('login CSRF: sign-in routes refuse other sites', () => {
  const test = useTestApp({ CORS_ORIGINS: 'https://app.example.com' });

  const signIn = (path: string, email: string) => test.http().post(path).send({ email, password: PASSWORD });

  it.each(['/auth/login', '/auth/session/login'])('refuses %s from another site’s Origin with 403, before any cookie is set', async (path) => {
    const { email } = await registerUser(test);
    const response = await signIn(path, email).set('Origin', 'https://evil.example');
    expect([response.status, response.body.code]).toEqual([403, 'AUTH_ORIGIN']);
    expect(setCookies(response).sid).toBeUndefined();
    const nullOrigin = await signIn(path, email).set('Origin', 'null');
    expect([nullOrigin.status, nullOrigin.body.code]).toEqual([403, 'AUTH_ORIGIN']);
  });

  it('refuses a cross-site request that only Sec-Fetch-Site reveals', async () => {
    const { email } = await registerUser(test);
    const response = await signIn('/auth/session/login', email).set('Sec-Fetch-Site', 'cross-site');
    expect([response.status, response.body.code]).toEqual([403, 'AUTH_ORIGIN']);
  });

  it('refuses registration and refresh from another site too', async () => {
    const register = await test.http().post('/auth/register').set('Origin', 'https://evil.example').send({ email: uniqueEmail(), password: PASSWORD });
    expect([register.status, register.body.code]).toEqual([403, 'AUTH_ORIGIN']);
    const user = await signUp(test);
    const refresh = await test.http().post('/auth/refresh').set('Origin', 'https://evil.example').send({ refreshToken: user.refreshToken });
    expect([refresh.status, refresh.body.code]).toEqual([403, 'AUTH_ORIGIN']);
  });

  it('accepts a listed origin, the server’s own origin, same-origin fetch metadata and no Origin at all', async () => {
    const { email } = await registerUser(test);
    await signIn('/auth/session/login', email).set('Origin', 'https://app.example.com').expect(200);
    const own = await signIn('/auth/session/login', email).set('Host', 'gatehouse.test:8080').set('Origin', 'http://gatehouse.test:8080');
    expect(own.status).toBe(200);
    await signIn('/auth/login', email).set('Sec-Fetch-Site', 'same-origin').expect(200);
    await signIn('/auth/login', email).expect(200);
  });

  it('does not apply to routes that issue nothing', async () => {
    const user = await signUp(test);
    await test.http().get('/auth/me').set(user.bearer).set('Origin', 'https://evil.example').expect(200);
  });
});

describe('login CSRF behind a TLS proxy', () => {
  const test = useTestApp({ TRUST_PROXY: '1' });

  it('compares the Origin with the scheme and host the proxy forwarded', async () => {
    const { email } = await registerUser(test);
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'auth.example.com' };
    await test.http().post('/auth/login').set(forwarded).set('Origin', 'https://auth.example.com').send({ email, password: PASSWORD }).expect(200);
    const other = await test.http().post('/auth/login').set(forwarded).set('Origin', 'http://auth.example.com').send({ email, password: PASSWORD });
    expect([other.status, other.body.code]).toEqual([403, 'AUTH_ORIGIN']);
  });
});
