import { PASSWORD, registerUser, useTestApp } from './utils/test-app.js';

describe('HTTP hygiene', () => {
  const test = useTestApp({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });

  it('forbids caching of token responses', async () => {
    const { email } = await registerUser(test);
    const login = await test.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refresh = await test.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    expect(refresh.headers['cache-control']).toBe('no-store');
    const me = await test.http().get('/auth/me').set('Authorization', `Bearer ${refresh.body.accessToken}`).expect(200);
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('sends helmet headers and no X-Powered-By', async () => {
    const response = await test.http().get('/').expect(200);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers CORS, with credentials, only for listed origins', async () => {
    const listed = await test.http().options('/auth/login').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST');
    expect(listed.status).toBeLessThan(300);
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(listed.headers['access-control-allow-credentials']).toBe('true');

    const other = await test.http().options('/auth/login').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['access-control-allow-credentials']).toBeUndefined();
    const simple = await test.http().get('/').set('Origin', 'https://evil.example').expect(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });
});
