import { createHmac, randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/users/users.service.js';
import { eventually, PASSWORD, registerUser, signUp, signUpAdmin, uniqueEmail, useTestApp, type SignedIn } from './utils/test-app.js';

/**
 * What attackers try, crafted with an independent JWT library (jose), each answered safely:
 * 401/400/403/429, never a 5xx, nothing written.
 */
describe('attack suite', () => {
  const test = useTestApp();
  let victim: SignedIn;
  let kid: string;
  const secret = () => new TextEncoder().encode(process.env.JWT_SECRET);
  const now = () => Math.floor(Date.now() / 1000);
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

  beforeAll(async () => {
    victim = await signUp(test);
    kid = JSON.parse(Buffer.from(victim.accessToken.split('.')[0], 'base64url').toString()).kid;
  });

  /** A token exactly like the server's, signed with its secret, but for what `changes` alter. */
  async function forge(changes: { header?: Record<string, unknown>; claims?: Record<string, unknown>; omit?: string[]; key?: Uint8Array } = {}) {
    const claims: Record<string, unknown> = {
      sub: victim.id, role: 'admin', sid: randomUUID(), jti: randomUUID(),
      iat: now(), exp: now() + 300, iss: 'gatehouse', aud: 'gatehouse', ...changes.claims,
    };
    for (const name of changes.omit ?? []) delete claims[name];
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid, ...changes.header }).sign(changes.key ?? secret());
  }

  /** A token with arbitrary raw segments, correctly HMAC-signed with the server's secret. */
  const rawSigned = (header: string, payload: string) =>
    `${header}.${payload}.${createHmac('sha256', process.env.JWT_SECRET as string).update(`${header}.${payload}`).digest('base64url')}`;

  async function countRows(): Promise<{ users: number; sessions: number }> {
    const [row] = await test.app.get(DataSource).query('SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM sessions)::int AS sessions');
    return row;
  }

  const asBearer = (token: string) => test.http().get('/admin/users').set('Authorization', `Bearer ${token}`);

  it('the control: a forged admin token WITH the server secret is accepted (so the refusals below are about what each case changes)', async () => {
    await asBearer(await forge()).expect(200);
  });

  describe('forged and tampered access tokens', () => {
    it.each<[string, () => Promise<string>]>([
      ['alg: none', async () => new UnsecuredJWT({ sub: victim.id, role: 'admin', sid: randomUUID(), jti: 'x' }).setIssuer('gatehouse').setAudience('gatehouse').setIssuedAt().setExpirationTime('5m').encode()],
      ['alg: none with the right kid and typ', async () => `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64({ sub: victim.id, role: 'admin', sid: randomUUID(), jti: 'x', iat: now(), exp: now() + 300, iss: 'gatehouse', aud: 'gatehouse' })}.`],
      ['HS512 with the right secret (not the pinned algorithm)', async () => new SignJWT({ sub: victim.id, role: 'admin', sid: randomUUID(), jti: 'x' }).setProtectedHeader({ alg: 'HS512', typ: 'at+jwt', kid }).setIssuer('gatehouse').setAudience('gatehouse').setIssuedAt().setExpirationTime('5m').sign(new Uint8Array(64).fill(1))],
      ['another secret', () => forge({ key: new TextEncoder().encode('an-attacker-chosen-secret-of-good-length!!') })],
      ['an unknown kid', () => forge({ header: { kid: 'c29tZS1vdGhlci1rZXk' } })],
      ['a kid with path characters', () => forge({ header: { kid: '../../../../etc/passwd' } })],
      ['a kid with SQL', () => forge({ header: { kid: "x' OR '1'='1' --" } })],
      ['a kid that is not a string', () => forge({ header: { kid: { $ne: null } } })],
      ['no kid', () => forge({ header: { kid: undefined } })],
      ['an expired token', () => forge({ claims: { iat: now() - 3600, exp: now() - 600 } })],
      ['a token not yet valid (nbf in the future)', () => forge({ claims: { nbf: now() + 3600 } })],
      ['a token issued for another issuer', () => forge({ claims: { iss: 'https://evil.example' } })],
      ['a token for another audience', () => forge({ claims: { aud: 'another-service' } })],
      ['a token of another type (typ JWT)', () => forge({ header: { typ: 'JWT' } })],
      ['a token without exp', () => forge({ omit: ['exp'] })],
      ['exp as a string', () => forge({ claims: { exp: String(now() + 300) } })],
      ['role as an array', () => forge({ claims: { role: ['admin'] } })],
      ['an unknown role', () => forge({ claims: { role: 'root' } })],
      ['sub as an object', () => forge({ claims: { sub: { id: victim.id } } })],
      ['non-base64 segments', async () => '!!!.@@@.###'],
      ['a payload that is a JSON array', async () => rawSigned(b64({ alg: 'HS256', typ: 'at+jwt', kid }), b64([victim.id, 'admin']))],
      ['a payload that is a JSON number', async () => rawSigned(b64({ alg: 'HS256', typ: 'at+jwt', kid }), b64('12345'))],
      ['a header that is not JSON', async () => rawSigned(b64('not json'), b64({ sub: victim.id }))],
      ['a payload edited after signing', async () => {
        const [header, payload, signature] = victim.accessToken.split('.');
        const edited = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' };
        return `${header}.${b64(edited)}.${signature}`;
      }],
    ])('refuses %s with 401', async (_case, makeToken) => {
      const before = await countRows();
      const response = await asBearer(await makeToken()).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(await countRows()).toEqual(before);
    });

    it('refuses an edited payload under a remembered signature, and takes the header forms bearerToken() allows', async () => {
      const me = (authorization: string) => test.http().get('/auth/me').set('Authorization', authorization);
      // Verified once, then remembered (by its signature) for the requests that follow.
      await me(`Bearer ${victim.accessToken}`).expect(200);
      await me(`Bearer ${victim.accessToken}`).expect(200);
      const [header, payload, signature] = victim.accessToken.split('.');
      const edited = `${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })}.${signature}`;
      await me(`Bearer ${edited}`).expect(401);
      await asBearer(edited).expect(401);
      // A tab, extra spaces, another case: not the quick lookup's form, the same answer.
      for (const form of [`Bearer\t${victim.accessToken}`, `bearer   ${victim.accessToken}  `, `BEARER ${victim.accessToken}`]) {
        expect((await me(form).expect(200)).body).toMatchObject({ userId: victim.id, via: 'bearer' });
      }
      await me(`Bearer ${victim.accessToken}x`).expect(401);
    });

    it('refuses a 100 KB token without a 5xx', async () => {
      const huge = await forge({ claims: { padding: 'A'.repeat(100_000) } });
      const response = await asBearer(huge);
      expect([401, 431]).toContain(response.status);
      const cookie = await test.http().get('/auth/me').set('Cookie', `access_token=${'A'.repeat(10_000)}`);
      expect(cookie.status).toBe(401);
    });

    it('never reads a token from the query string', async () => {
      await test.http().get(`/users/me?access_token=${victim.accessToken}`).expect(401);
      await test.http().get(`/users/me?token=${victim.accessToken}`).expect(401);
    });

    it('refuses a valid token once its user is disabled, or deleted', async () => {
      const disabled = await signUp(test);
      const admin = await signUpAdmin(test);
      await test.http().patch(`/admin/users/${disabled.id}`).set(admin.bearer).send({ disabled: true }).expect(200);
      await test.http().get('/auth/me').set(disabled.bearer).expect(401);

      const deleted = await signUp(test);
      await test.http().get('/auth/me').set(deleted.bearer).expect(200);
      await test.app.get(DataSource).query('DELETE FROM users WHERE id = $1', [deleted.id]);
      await eventually(async () => (await test.http().get('/auth/me').set(deleted.bearer)).status === 401, 1000);
      await test.http().get('/users/me').set(deleted.bearer).expect(401);
    });
  });

  describe('hostile input', () => {
    it.each([
      ['SQL in the email', { email: "' OR '1'='1' --", password: PASSWORD }],
      ['SQL in the password', { email: 'admin@example.com', password: "' OR '1'='1' --" }],
      ['an operator object as email', { email: { $ne: null }, password: PASSWORD }],
      ['an operator object as password', { email: 'admin@example.com', password: { $gt: '' } }],
      ['arrays', { email: ['a@example.com'], password: [PASSWORD] }],
    ])('login with %s is refused (400/401) and writes nothing', async (_case, body) => {
      const before = await countRows();
      const response = await test.http().post('/auth/login').send(body);
      expect([400, 401]).toContain(response.status);
      expect(response.body.statusCode).toBe(response.status);
      expect(await countRows()).toEqual(before);
    });

    it.each(['role', 'id', 'passwordHash', 'password_hash', 'disabledAt', 'createdAt'])('refuses %s smuggled into register and PATCH /users/me', async (field) => {
      const email = uniqueEmail('smuggler');
      const value = field === 'id' ? randomUUID() : field === 'role' ? 'admin' : 'x';
      const before = await countRows();
      await test.http().post('/auth/register').send({ email, password: PASSWORD, [field]: value }).expect(400);
      expect(await countRows()).toEqual(before);
      const user = await signUp(test);
      await test.http().patch('/users/me').set(user.bearer).send({ name: 'Mallory', [field]: value }).expect(400);
      const me = await test.http().get('/users/me').set(user.bearer).expect(200);
      expect(me.body).toMatchObject({ id: user.id, role: 'user', name: 'Test User' });
    });

    it("refuses a plain user on another user's admin routes", async () => {
      const mallory = await signUp(test);
      for (const call of [
        test.http().get(`/admin/users/${victim.id}`),
        test.http().patch(`/admin/users/${victim.id}`).send({ role: 'user', disabled: true }),
        test.http().delete(`/admin/users/${victim.id}/sessions`),
        test.http().post('/admin/keys/rotate'),
      ]) {
        await call.set(mallory.bearer).expect(403);
      }
      await test.http().get('/auth/me').set(victim.bearer).expect(200);
    });
  });

  describe('identity', () => {
    it('folds Unicode look-alikes: a Kelvin sign or full-width letters cannot open a second account', async () => {
      const local = `kate${randomUUID().slice(0, 6)}`;
      await registerUser(test, `${local}@example.com`);
      for (const lookAlike of [`\u212A${local.slice(1)}@example.com`, `${[...local].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('')}@example.com`]) {
        const response = await test.http().post('/auth/register').send({ email: lookAlike, password: PASSWORD });
        expect([400, 409]).toContain(response.status);
      }
      await test.http().post('/auth/login').send({ email: `\u212A${local.slice(1)}@example.com`, password: PASSWORD }).expect(200);
    });

    it('never lets an undefined id match "the first row"', async () => {
      await expect(test.app.get(UsersService).findById(undefined as unknown as string)).rejects.toThrow();
    });
  });

  describe('passwords', () => {
    it('tells apart two long passwords that share their first 72 bytes', async () => {
      const prefix = 'p'.repeat(80);
      const { email } = await registerUser(test, uniqueEmail('long'), `${prefix}-one`);
      await test.http().post('/auth/login').send({ email, password: `${prefix}-two` }).expect(401);
      await test.http().post('/auth/login').send({ email, password: `${prefix}-one` }).expect(200);
    });
  });
});

describe('attack suite: user enumeration by timing', () => {
  // A realistic bcrypt cost, lockout out of the way: this measures the login path itself.
  const test = useTestApp({ BCRYPT_COST: '8', LOCKOUT_THRESHOLD: '100000', RATE_LIMIT_AUTH: '100000' });

  it('answers an unknown email and a wrong password alike: same status, same body, medians within 10 ms', async () => {
    const { email } = await registerUser(test);
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    const timed = async (body: object) => {
      const started = process.hrtime.bigint();
      const response = await test.http().post('/auth/login').send(body);
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.status, body: response.body as unknown };
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    const bodies = new Set<string>();
    for (let i = 0; i < 100; i += 1) {
      // Interleaved, so drift on a busy machine hits both series alike.
      const a = await timed({ email: uniqueEmail('nobody'), password: 'not the password' });
      const b = await timed({ email, password: 'not the password' });
      expect([a.status, b.status]).toEqual([401, 401]);
      bodies.add(JSON.stringify(a.body)).add(JSON.stringify(b.body));
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0])).toEqual({ statusCode: 401, message: 'Invalid credentials', error: 'Unauthorized', code: 'AUTH_INVALID_CREDENTIALS' });
    expect(Math.abs(median(unknown) - median(wrong))).toBeLessThan(10);
  }, 60_000);
});

describe('attack suite: algorithm confusion (ES256 server)', () => {
  const test = useTestApp({ JWT_ALGORITHM: 'ES256' });

  it('refuses an HS256 token keyed with the published public key, and an ES256 token from a stranger key', async () => {
    const user = await signUp(test);
    const jwk = (await test.http().get('/.well-known/jwks.json').expect(200)).body.keys[0] as JWK;
    const claims = { role: 'admin', sid: randomUUID(), jti: randomUUID() };
    for (const publicKeyAsSecret of [JSON.stringify(jwk), `${jwk.x}${jwk.y}`]) {
      const confused = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid })
        .setSubject(user.id).setIssuer('gatehouse').setAudience('gatehouse').setIssuedAt().setExpirationTime('5m')
        .sign(new TextEncoder().encode(publicKeyAsSecret));
      await test.http().get('/admin/users').set('Authorization', `Bearer ${confused}`).expect(401);
    }
    const stranger = await generateKeyPair('ES256');
    const impostor = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid })
      .setSubject(user.id).setIssuer('gatehouse').setAudience('gatehouse').setIssuedAt().setExpirationTime('5m')
      .sign(stranger.privateKey);
    await test.http().get('/admin/users').set('Authorization', `Bearer ${impostor}`).expect(401);
  });
});
