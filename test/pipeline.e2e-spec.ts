import { PIPES_METADATA } from '@nestjs/common/constants.js';
import { ValidationPipe } from '@nestjs/common';
import { AppController } from '../src/app.controller.js';
import { AuthController } from '../src/auth/auth.controller.js';
import { createTestApp, signUp, useTestApp } from './utils/test-app.js';

/** helmet's headers as configured for Gatehouse's pages (Swagger UI), byte for byte. */
const CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
  "img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline'";
const PAGE_HEADERS = {
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
/** OWASP's REST Security Cheat Sheet set, on every API answer. */
const API_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
const HSTS = 'max-age=31536000; includeSubDomains';
const PAGE_ONLY = Object.keys(PAGE_HEADERS).filter((name) => !(name in API_HEADERS));

describe('the shared request pipeline', () => {
  const test = useTestApp();

  it('sends the API security headers and no-store on answers, errors and unknown routes alike', async () => {
    const { bearer } = await signUp(test);
    for (const response of [
      await test.http().get('/').expect(200),
      await test.http().get('/auth/me').set(bearer).expect(200),
      await test.http().get('/auth/me').expect(401),
      await test.http().get('/no/such/route').expect(404),
      await test.http().post('/auth/login').send({ email: 'not-an-email' }).expect(400),
    ]) {
      expect(response.headers).toMatchObject({ ...API_HEADERS, 'cache-control': 'no-store' });
      for (const name of PAGE_ONLY) expect(response.headers[name]).toBeUndefined();
      // Plain http here: RFC 6797 forbids HSTS on a response over non-secure transport.
      expect(response.headers['strict-transport-security']).toBeUndefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it("sends helmet's full set on Swagger UI's page and assets, and the API set on its JSON document", async () => {
    for (const path of ['/docs', '/docs/', '/docs/swagger-ui-init.js']) {
      const page = await test.http().get(path).expect(200);
      expect(page.headers).toMatchObject(PAGE_HEADERS);
    }
    const json = await test.http().get('/docs-json').expect(200);
    expect(json.headers).toMatchObject(API_HEADERS);
    for (const name of PAGE_ONLY) expect(json.headers[name]).toBeUndefined();
  });

  it('keeps the Cache-Control a route sets itself', async () => {
    const health = await test.http().get('/health').expect(200);
    expect(health.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    expect(health.headers).toMatchObject(API_HEADERS);
    const asset = await test.http().get('/docs/swagger-ui.css').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=0');
  });

  it('leaves upgrade-insecure-requests out over plain http, so Swagger UI loads from a LAN host name', async () => {
    const docs = await test.http().get('/docs').set('Host', 'gatehouse.lan:3000').expect(200);
    expect(docs.headers['content-security-policy']).toBe(CSP);
    expect(docs.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('asks browsers to keep to HTTPS and to upgrade insecure requests when served over TLS (Secure cookies)', async () => {
    const tls = await createTestApp({ COOKIE_SECURE: 'true' });
    try {
      const response = await tls.http().get('/docs').expect(200);
      expect(response.headers['content-security-policy']).toBe(`${CSP};upgrade-insecure-requests`);
      expect(response.headers['strict-transport-security']).toBe(HSTS);
      const api = await tls.http().get('/').expect(200);
      expect(api.headers).toMatchObject({ ...API_HEADERS, 'strict-transport-security': HSTS });
    } finally {
      await tls.close();
    }
  });

  it('validates exactly the handlers that take input', async () => {
    const pipes = (handler: object): unknown[] => Reflect.getMetadata(PIPES_METADATA, handler) ?? [];
    const validates = (handler: object) => pipes(handler).some((pipe) => pipe instanceof ValidationPipe);
    expect(validates(AuthController.prototype.register)).toBe(true);
    expect(validates(AuthController.prototype.revokeSession)).toBe(true);
    expect(validates(AuthController.prototype.me)).toBe(false);
    expect(validates(AppController.prototype.index)).toBe(false);
    // Once, whatever the number of apps started in this process.
    expect(pipes(AuthController.prototype.register).filter((pipe) => pipe instanceof ValidationPipe)).toHaveLength(1);
    await test.http().post('/auth/register').send({ email: 'a@example.com', password: 'x', role: 'admin' }).expect(400);
  });
});
