import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PASSWORD, registerUser, useTestApp } from './utils/test-app.js';

/** Sends raw bytes to the app's own HTTP server and returns everything it answers. */
async function rawExchange(server: Server, bytes: string): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk)).on('close', () => resolve(answer)).on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
  });
}

describe('HTTP hygiene', () => {
  const test = useTestApp({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });

  it('answers what the HTTP parser refuses with the usual error body and a code', async () => {
    const server = test.app.getHttpServer() as Server;
    const oversized = await rawExchange(server, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect(oversized).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(oversized.slice(oversized.indexOf('\r\n\r\n') + 4))).toEqual({
      statusCode: 431, error: 'Request Header Fields Too Large', message: expect.any(String), code: 'HEADERS_TOO_LARGE',
    });
    const malformed = await rawExchange(server, 'NOT-HTTP\r\n\r\n');
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(malformed.slice(malformed.indexOf('\r\n\r\n') + 4))).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });

  it('forbids caching of token responses', async () => {
    const { email } = await registerUser(test);
    const login = await test.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refresh = await test.http().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    expect(refresh.headers['cache-control']).toBe('no-store');
    const me = await test.http().get('/auth/me').set('Authorization', `Bearer ${refresh.body.accessToken}`).expect(200);
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('sends the API security headers and no X-Powered-By', async () => {
    const response = await test.http().get('/').expect(200);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
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
