import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { KeyRing } from '../src/keys/key-ring.service.js';
import { createTestApp, eventually, signUp, signUpAdmin, useTestApp, type SignedIn, type TestApp } from './utils/test-app.js';

const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, unknown>;

describe('asymmetric signing (ES256), JWKS and key rotation', () => {
  let a: TestApp;
  let b: TestApp;
  let jwksUrl: URL;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp({ JWT_ALGORITHM: 'ES256' }), createTestApp({ JWT_ALGORITHM: 'ES256' })]);
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = a.app.getHttpServer().address() as AddressInfo;
    jwksUrl = new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  /** Another service: it knows only the JWKS address, the issuer and the audience. */
  const verifyElsewhere = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(jwksUrl, { cacheMaxAge: 0, cooldownDuration: 0 }), {
      issuer: 'gatehouse',
      audience: 'gatehouse',
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });

  it('signs with ES256, names the key, and publishes it (public, cacheable)', async () => {
    const user = await signUp(a);
    const header = headerOf(user.accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    const response = await a.http().get('/.well-known/jwks.json').expect(200);
    expect(response.headers['cache-control']).toMatch(/public/);
    expect(response.body.keys).toEqual(expect.arrayContaining([expect.objectContaining({ kid: header.kid, kty: 'EC', crv: 'P-256', alg: 'ES256' })]));
    expect(JSON.stringify(response.body)).not.toMatch(/"d"/);
    const { payload } = await verifyElsewhere(user.accessToken);
    expect(payload).toMatchObject({ sub: user.id, role: 'user' });
  });

  it('keeps private keys encrypted in the database', async () => {
    const rows = await a.app.get(DataSource).query('SELECT private_key_encrypted FROM signing_keys');
    for (const row of rows) expect(row.private_key_encrypted).not.toMatch(/PRIVATE KEY|^MI/);
  });

  it('rotation makes a new key current on every instance; older tokens keep verifying until they expire', async () => {
    const admin: SignedIn = await signUpAdmin(a);
    const before = await signUp(a);
    const oldKid = headerOf(before.accessToken).kid;
    const rotated = await a.http().post('/admin/keys/rotate').set(admin.bearer).expect(200);
    expect(rotated.body.kid).not.toBe(oldKid);
    expect(rotated.body.algorithm).toBe('ES256');

    const after = await signUp(a);
    expect(headerOf(after.accessToken).kid).toBe(rotated.body.kid);
    await eventually(async () => headerOf((await signUp(b)).accessToken).kid === rotated.body.kid, 1000);

    for (const user of [before, after]) {
      await a.http().get('/auth/me').set(user.bearer).expect(200);
      await b.http().get('/auth/me').set(user.bearer).expect(200);
      await verifyElsewhere(user.accessToken);
    }
    const kids = (await a.http().get('/.well-known/jwks.json').expect(200)).body.keys.map((key: { kid: string }) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, rotated.body.kid]));
    await a.http().post('/admin/keys/rotate').set(before.bearer).expect(403);
  });

  it('drops a retired key from the JWKS once its tokens have expired, and refuses tokens it signed', async () => {
    const admin = await signUpAdmin(a);
    const signedByOld = await signUp(a);
    const oldKid = headerOf(signedByOld.accessToken).kid;
    await a.http().post('/admin/keys/rotate').set(admin.bearer).expect(200);
    // As if the access-token lifetime had passed since the rotation.
    await a.app.get(DataSource).query("UPDATE signing_keys SET retired_at = now() - interval '1 day' WHERE kid = $1", [oldKid]);
    await a.app.get(KeyRing).reload();
    const kids = (await a.http().get('/.well-known/jwks.json').expect(200)).body.keys.map((key: { kid: string }) => key.kid);
    expect(kids).not.toContain(oldKid);
    await a.http().get('/auth/me').set(signedByOld.bearer).expect(401);
  });
});

describe('a JWT_SECRET change with ES256', () => {
  it('retires the key it can no longer decrypt, makes a new one, and still verifies the old tokens', async () => {
    const before = await createTestApp({ JWT_ALGORITHM: 'ES256' });
    let user: SignedIn | undefined;
    try {
      user = await signUp(before);
    } finally {
      await before.close();
    }
    const oldKid = headerOf(user.accessToken).kid;
    const after = await createTestApp({ JWT_ALGORITHM: 'ES256', JWT_SECRET: `another-secret-${'x'.repeat(40)}` });
    try {
      const fresh = await signUp(after);
      expect(headerOf(fresh.accessToken).kid).not.toBe(oldKid);
      // Verified with the stored public key, although its private key is unreadable now.
      await after.http().get('/auth/me').set(user!.bearer).expect(200);
      await after.http().get('/.well-known/jwks.json').expect(200).expect((response) => {
        expect(response.body.keys.map((key: { kid: string }) => key.kid)).toEqual(expect.arrayContaining([oldKid, headerOf(fresh.accessToken).kid]));
      });
    } finally {
      await after.close();
    }
  });
});

describe('with HS256 (the default)', () => {
  const test = useTestApp();

  it('publishes no key and refuses rotation with a pointer to JWT_SECRET', async () => {
    const jwks = await test.http().get('/.well-known/jwks.json').expect(200);
    expect(jwks.body).toEqual({ keys: [] });
    const admin = await signUpAdmin(test);
    const response = await test.http().post('/admin/keys/rotate').set(admin.bearer).expect(409);
    expect(response.body.message).toMatch(/JWT_SECRET/);
  });
});
