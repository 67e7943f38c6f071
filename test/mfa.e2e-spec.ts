import { randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { Role } from '../src/access/role.enum.js';
import { AccountLifecycle } from '../src/auth/account-lifecycle.service.js';
import { LoginLockout } from '../src/throttling/login-lockout.service.js';
import { cookieHeader, createTestApp, PASSWORD, registerUser, setCookies, useTestApp, type TestApp } from './utils/test-app.js';
import { hotp, stepAt, totp } from './utils/totp.js';

type Kind = 'bearer' | 'hybrid' | 'session';

/** Whatever a client must send back to be signed in, for each of the three credentials. */
interface Credential {
  kind: Kind;
  /** Headers for a request; cookie credentials add X-CSRF-Token (every state-changing request here). */
  headers: Record<string, string>;
  /** Bearer and hybrid: the refresh token, to get a token with the account's current state. */
  refreshToken?: string;
}

const LOGIN_ROUTE: Record<Kind, { path: string; extra: Record<string, string> }> = {
  bearer: { path: '/auth/login', extra: {} },
  hybrid: { path: '/auth/login', extra: { transport: 'cookie' } },
  session: { path: '/auth/session/login', extra: {} },
};

/** A code that is wrong for every time step near now, so no clock tick can make it right. */
function wrongCode(secret: string): string {
  const now = Date.now() / 1000;
  const near = new Set([-2, -1, 0, 1, 2].map((offset) => totp(secret, now + offset * 30)));
  for (let candidate = 0; ; candidate += 1) {
    const code = String(candidate).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}

const VIA: Record<Kind, string> = { bearer: 'bearer', hybrid: 'cookie-jwt', session: 'session' };

/** The credential a successful login or verify answer carries. */
function credentialFrom(kind: Kind, response: Response): Credential {
  if (kind === 'bearer') {
    return { kind, headers: { Authorization: `Bearer ${response.body.accessToken}` }, refreshToken: response.body.refreshToken };
  }
  const set = setCookies(response);
  if (kind === 'hybrid') {
    expect(set.access_token).toBeDefined();
    return {
      kind,
      headers: { Cookie: cookieHeader({ access_token: set.access_token.value, csrf_token: set.csrf_token.value }), 'X-CSRF-Token': response.body.csrfToken },
      refreshToken: set.refresh_token.value,
    };
  }
  expect(set.sid).toBeDefined();
  return { kind, headers: { Cookie: cookieHeader({ sid: set.sid.value, csrf_token: set.csrf_token.value }), 'X-CSRF-Token': response.body.csrfToken } };
}

describe('RFC 6238 reference implementation used by these tests', () => {
  // RFC 6238 appendix B, SHA-1, 8 digits, the 20-byte ASCII secret "12345678901234567890".
  const secret = Buffer.from('12345678901234567890', 'ascii');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at T=%i gives %s', (seconds, expected) => {
    expect(hotp(secret, stepAt(seconds), 8)).toBe(expected);
  });
});

describe('multi-factor sign-in (TOTP and recovery codes)', () => {
  const test = useTestApp({ LOCKOUT_THRESHOLD: '3', LOCKOUT_MINUTES: '1' });
  const db = () => test.app.get(DataSource);

  /**
   * The code for now, as a phone would show it. The server accepts each time step once, so before
   * another code in the same 30 s the stored last-used step is moved back (instead of sleeping).
   */
  async function freshCode(userId: string, secret: string): Promise<string> {
    await db().query('UPDATE mfa_totp SET last_used_step = last_used_step - 10 WHERE user_id = $1 AND last_used_step IS NOT NULL', [userId]);
    return totp(secret);
  }

  const startLogin = (kind: Kind, email: string, password = PASSWORD) =>
    test.http().post(LOGIN_ROUTE[kind].path).send({ email, password, ...LOGIN_ROUTE[kind].extra });

  async function passwordLogin(kind: Kind, email: string): Promise<Credential> {
    const response = await startLogin(kind, email).expect(200);
    expect(response.body.mfaRequired).toBeUndefined();
    return credentialFrom(kind, response);
  }

  /** Password, then the second factor: the answer must carry no credential until the code is in. */
  async function challenge(kind: Kind, email: string): Promise<string> {
    const response = await startLogin(kind, email).expect(200);
    expect(response.body).toEqual({ mfaRequired: true, mfaToken: expect.stringMatching(/^[\w-]{43}$/), methods: ['totp', 'recovery_code'] });
    expect(Object.keys(setCookies(response)).filter((name) => name !== 'sessionId')).toEqual([]);
    return response.body.mfaToken as string;
  }

  async function mfaLogin(kind: Kind, email: string, proof: { code: string } | { recoveryCode: string }): Promise<Credential> {
    const mfaToken = await challenge(kind, email);
    const response = await test.http().post('/auth/mfa/verify').send({ mfaToken, ...proof }).expect(200);
    return credentialFrom(kind, response);
  }

  /** A token's next refresh carries the account's current MFA state (sessions have it at once). */
  async function refreshed(credential: Credential): Promise<Credential> {
    if (credential.kind === 'session') return credential;
    if (credential.kind === 'bearer') {
      const response = await test.http().post('/auth/refresh').send({ refreshToken: credential.refreshToken }).expect(200);
      return credentialFrom('bearer', response);
    }
    const response = await test.http().post('/auth/refresh')
      .set('Cookie', cookieHeader({ refresh_token: credential.refreshToken ?? '', csrf_token: credential.headers['X-CSRF-Token'] }))
      .set('X-CSRF-Token', credential.headers['X-CSRF-Token'])
      .send({})
      .expect(200);
    return credentialFrom('hybrid', response);
  }

  const me = (credential: Credential) => test.http().get('/auth/me').set(credential.headers);

  async function enrol(credential: Credential, userId: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const setup = await test.http().post('/auth/mfa/totp/setup').set(credential.headers).send({ currentPassword: PASSWORD }).expect(200);
    const { secret } = setup.body as { secret: string };
    const response = await test.http().post('/auth/mfa/totp/enable').set(credential.headers).send({ code: await freshCode(userId, secret) }).expect(200);
    return { secret, recoveryCodes: response.body.recoveryCodes };
  }

  describe.each<Kind>(['bearer', 'hybrid', 'session'])('with the %s credential', (kind) => {
    it('enrols, signs in with a code, refuses a replay, takes a recovery code once, steps up and disables', async () => {
      const { id, email } = await registerUser(test);
      const first = await passwordLogin(kind, email);
      const bystander = await passwordLogin(kind, email);
      await me(first).expect(200).expect((response) => expect(response.body).toMatchObject({ via: VIA[kind], amr: ['pwd'], mfa: false }));

      // Setup: the password again; an otpauth URI and a QR code; nothing active yet.
      await test.http().post('/auth/mfa/totp/setup').set(first.headers).send({ currentPassword: 'not the password' }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_WRONG_PASSWORD'));
      const setup = await test.http().post('/auth/mfa/totp/setup').set(first.headers).send({ currentPassword: PASSWORD }).expect(200);
      const { secret, otpauthUrl, qrSvg } = setup.body as { secret: string; otpauthUrl: string; qrSvg: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const url = new URL(otpauthUrl);
      expect(url.protocol).toBe('otpauth:');
      expect(url.host).toBe('totp');
      expect(decodeURIComponent(url.pathname)).toBe(`/Gatehouse:${email}`);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ secret, issuer: 'Gatehouse', algorithm: 'SHA1', digits: '6', period: '30' });
      expect(qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      await passwordLogin(kind, email);

      // The secret is sealed at rest.
      const [stored] = await db().query('SELECT secret_sealed FROM mfa_totp WHERE user_id = $1', [id]);
      expect(stored.secret_sealed).not.toContain(secret);

      // Enable: a wrong code is refused, the right one returns 10 recovery codes, stored only as hashes.
      await test.http().post('/auth/mfa/totp/enable').set(first.headers).send({ code: hotp(Buffer.from('wrong'), 1) }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_WRONG_CODE'));
      const enabled = await test.http().post('/auth/mfa/totp/enable').set(first.headers).send({ code: totp(secret) }).expect(200);
      const recoveryCodes = enabled.body.recoveryCodes as string[];
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      const storedCodes: Array<{ code_hash: string }> = await db().query('SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1', [id]);
      expect(storedCodes).toHaveLength(10);
      for (const code of recoveryCodes) expect(JSON.stringify(storedCodes)).not.toContain(code.replace('-', ''));
      await test.http().post('/auth/mfa/totp/setup').set(first.headers).send({ currentPassword: PASSWORD }).expect(409)
        .expect((response) => expect(response.body.code).toBe('MFA_ALREADY_ENABLED'));

      // Enabling ended every other session (signed in with the password alone); this one lives on.
      await me(bystander).expect(401);
      await me(first).expect(200);

      // Sign-in now takes the second factor; a wrong code is 401, the right one the same credential as a plain login.
      const pending = await challenge(kind, email);
      await test.http().post('/auth/mfa/verify').send({ mfaToken: pending, code: wrongCode(secret) }).expect(401)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_INVALID'));
      const code = await freshCode(id, secret);
      const verified = await test.http().post('/auth/mfa/verify').send({ mfaToken: pending, code }).expect(200);
      const strong = credentialFrom(kind, verified);
      if (kind !== 'bearer') expect(verified.body.accessToken).toBeUndefined();
      await me(strong).expect(200).expect((response) => expect(response.body).toMatchObject({ userId: id, via: VIA[kind], amr: ['pwd', 'otp'], mfa: true }));

      // The mfaToken is single use; the code is accepted once (no replay within its window).
      await test.http().post('/auth/mfa/verify').send({ mfaToken: pending, code: await freshCode(id, secret) }).expect(401)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_TOKEN_INVALID'));
      const again = await challenge(kind, email);
      const replayCode = totp(secret);
      await test.http().post('/auth/mfa/verify').send({ mfaToken: again, code: replayCode }).expect(200);
      const third = await challenge(kind, email);
      await test.http().post('/auth/mfa/verify').send({ mfaToken: third, code: replayCode }).expect(401)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_INVALID'));

      // A recovery code works once, in any case and with or without its dash.
      await test.http().post('/auth/mfa/verify').send({ mfaToken: third, recoveryCode: recoveryCodes[0].toUpperCase().replace('-', '') }).expect(200);
      const fourth = await challenge(kind, email);
      await test.http().post('/auth/mfa/verify').send({ mfaToken: fourth, recoveryCode: recoveryCodes[0] }).expect(401)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_INVALID'));
      await test.http().post('/auth/mfa/verify').send({ mfaToken: fourth, recoveryCode: recoveryCodes[1] }).expect(200)
        .expect((response) => expect(response.status).toBe(200));

      // Step-up: the enrolling credential was signed in with the password only; once it knows the
      // account has MFA (a refresh for tokens, at once for a session) sensitive routes refuse it.
      const weak = await refreshed(first);
      await me(weak).expect(200).expect((response) => expect(response.body).toMatchObject({ amr: ['pwd'], mfa: true }));
      await test.http().post('/auth/mfa/recovery-codes').set(weak.headers).send({ code: await freshCode(id, secret) }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_REQUIRED'));
      await test.http().post('/users/me/password').set(weak.headers).send({ currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_REQUIRED'));
      await test.http().post('/users/me/email').set(weak.headers).send({ newEmail: `moved-${email}`, currentPassword: PASSWORD }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_REQUIRED'));
      const regenerated = await test.http().post('/auth/mfa/recovery-codes').set(strong.headers).send({ code: await freshCode(id, secret) }).expect(200);
      expect(regenerated.body.recoveryCodes).toHaveLength(10);
      const fifth = await challenge(kind, email);
      await test.http().post('/auth/mfa/verify').send({ mfaToken: fifth, recoveryCode: recoveryCodes[2] }).expect(401);
      await test.http().post('/auth/mfa/verify').send({ mfaToken: fifth, recoveryCode: regenerated.body.recoveryCodes[0] }).expect(200);

      // Disable: the password and a code; other sessions end; sign-in is a password again.
      const otherCode = await freshCode(id, secret);
      const other = await mfaLogin(kind, email, { code: otherCode });
      await test.http().post('/auth/mfa/totp/disable').set(weak.headers).send({ currentPassword: PASSWORD, code: totp(secret) }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_REQUIRED'));
      await test.http().post('/auth/mfa/totp/disable').set(strong.headers).send({ currentPassword: 'not the password', code: totp(secret) }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_WRONG_PASSWORD'));
      // The code just used to sign `other` in is spent (the very same code: the clock may have moved to the next step).
      await test.http().post('/auth/mfa/totp/disable').set(strong.headers).send({ currentPassword: PASSWORD, code: otherCode }).expect(403)
        .expect((response) => expect(response.body.code).toBe('AUTH_MFA_WRONG_CODE'));
      await test.http().post('/auth/mfa/totp/disable').set(strong.headers).send({ currentPassword: PASSWORD, code: await freshCode(id, secret) }).expect(204);
      await me(other).expect(401);
      await me(strong).expect(200);
      await passwordLogin(kind, email);
      expect(await db().query('SELECT 1 FROM mfa_recovery_codes WHERE user_id = $1', [id])).toEqual([]);
      await test.http().post('/auth/mfa/totp/disable').set(strong.headers).send({ currentPassword: PASSWORD, code: await freshCode(id, secret) }).expect(409)
        .expect((response) => expect(response.body.code).toBe('MFA_NOT_ENABLED'));

      const audited: Array<{ type: string }> = await db().query('SELECT DISTINCT type FROM audit_events WHERE user_id = $1', [id]);
      expect(audited.map((row) => row.type)).toEqual(expect.arrayContaining([
        'mfa_setup_started', 'mfa_enabled', 'mfa_challenge_issued', 'mfa_succeeded', 'mfa_failed', 'mfa_recovery_codes_regenerated', 'mfa_disabled',
      ]));
    });

    it('locks the second factor after LOCKOUT_THRESHOLD wrong codes, even for the right code, and audits it', async () => {
      const { id, email } = await registerUser(test);
      const { secret } = await enrol(await passwordLogin(kind, email), id);
      const right = await freshCode(id, secret);
      const wrong = wrongCode(secret);
      for (let i = 0; i < 3; i += 1) {
        const mfaToken = await challenge(kind, email);
        await test.http().post('/auth/mfa/verify').send({ mfaToken, code: wrong }).expect(401);
      }
      // The password still opens the first step (a right password does not reset the code count) ...
      const mfaToken = await challenge(kind, email);
      const locked = await test.http().post('/auth/mfa/verify').send({ mfaToken, code: right }).expect(429);
      expect(locked.body.code).toBe('AUTH_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      await test.http().post('/auth/mfa/verify').send({ mfaToken, recoveryCode: 'aaaaa-bbbbb' }).expect(429);
      const [lockout] = await db().query(`SELECT count(*)::int AS n FROM audit_events WHERE user_id = $1 AND type = 'mfa_lockout'`, [id]);
      expect(lockout.n).toBe(1);
      // ... and once the lockout is lifted, the right code works.
      await test.app.get(LoginLockout).resetSecondFactor(id);
      await test.http().post('/auth/mfa/verify').send({ mfaToken, code: right }).expect(200);
    });
  });

  it('voids an mfaToken when it expires or the account changes (security stamp)', async () => {
    const { id, email } = await registerUser(test);
    await enrol(await passwordLogin('bearer', email), id);
    const expired = await challenge('bearer', email);
    await db().query(`UPDATE mfa_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [id]);
    await test.http().post('/auth/mfa/verify').send({ mfaToken: expired, code: '123456' }).expect(401)
      .expect((response) => expect(response.body.code).toBe('AUTH_MFA_TOKEN_INVALID'));
    const stale = await challenge('bearer', email);
    await db().query('UPDATE users SET security_stamp = security_stamp + 1 WHERE id = $1', [id]);
    await test.http().post('/auth/mfa/verify').send({ mfaToken: stale, code: '123456' }).expect(401)
      .expect((response) => expect(response.body.code).toBe('AUTH_MFA_TOKEN_INVALID'));
  });

  it('refuses malformed verify bodies with 400, never 500', async () => {
    const { id, email } = await registerUser(test);
    await enrol(await passwordLogin('bearer', email), id);
    const mfaToken = await challenge('bearer', email);
    for (const body of [{ mfaToken }, { mfaToken, code: '12345' }, { mfaToken, code: '123456', recoveryCode: 'aaaaa-bbbbb' }, { mfaToken: 'x', code: '123456' }, { mfaToken, code: 123456 }]) {
      const response = await test.http().post('/auth/mfa/verify').send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lets a sign-in finish once when two verify requests race with one mfaToken', async () => {
    const { id, email } = await registerUser(test);
    const { recoveryCodes } = await enrol(await passwordLogin('bearer', email), id);
    const mfaToken = await challenge('bearer', email);
    const answers = await Promise.all(recoveryCodes.slice(0, 4).map((recoveryCode) => test.http().post('/auth/mfa/verify').send({ mfaToken, recoveryCode })));
    const statuses = answers.map((response) => response.status).sort();
    // One sign-in, whatever the timing. The others are refused: the token is spent (401) or, when
    // all four were counted before the winner reset the count, the account's second-factor
    // lockout (threshold 3 here) refuses the fourth before looking at its code (429).
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(1).every((status) => status === 401 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(2);
  });

  it('disables MFA with the password and a recovery code when the device is lost', async () => {
    const { id, email } = await registerUser(test);
    const { secret, recoveryCodes } = await enrol(await passwordLogin('bearer', email), id);
    const strong = await mfaLogin('bearer', email, { recoveryCode: recoveryCodes[0] });
    const disable = (body: object) => test.http().post('/auth/mfa/totp/disable').set(strong.headers).send({ currentPassword: PASSWORD, ...body });
    await disable({ code: totp(secret), recoveryCode: recoveryCodes[1] }).expect(400);
    await disable({ recoveryCode: recoveryCodes[0] }).expect(403).expect((response) => expect(response.body.code).toBe('AUTH_MFA_WRONG_CODE'));
    await disable({ recoveryCode: recoveryCodes[1] }).expect(204);
    await passwordLogin('bearer', email);
  });

  it('accepts one TOTP code once when two sign-ins race with it', async () => {
    const { id, email } = await registerUser(test);
    const { secret } = await enrol(await passwordLogin('bearer', email), id);
    const tokens = [await challenge('bearer', email), await challenge('bearer', email), await challenge('session', email)];
    const code = await freshCode(id, secret);
    const answers = await Promise.all(tokens.map((mfaToken) => test.http().post('/auth/mfa/verify').send({ mfaToken, code })));
    expect(answers.map((response) => response.status).sort()).toEqual([200, 401, 401]);
  });

  it('asks an admin with MFA for the second factor on admin routes', async () => {
    const { id, email } = await registerUser(test);
    await test.app.get(AccountLifecycle).update(id, { role: Role.Admin });
    const first = await passwordLogin('bearer', email);
    await test.http().get('/admin/users').set(first.headers).expect(200);
    const { secret } = await enrol(first, id);
    const weak = await refreshed(first);
    await test.http().get('/admin/users').set(weak.headers).expect(403).expect((response) => expect(response.body.code).toBe('AUTH_MFA_REQUIRED'));
    const strong = await mfaLogin('bearer', email, { code: await freshCode(id, secret) });
    await test.http().get('/admin/users').set(strong.headers).expect(200);
  });
});

describe('MFA_REQUIRED_FOR_ADMINS=true', () => {
  const test = useTestApp({ MFA_REQUIRED_FOR_ADMINS: 'true' });

  it('refuses admin routes to an admin without MFA until enrolled and signed in with a code', async () => {
    const { id, email } = await registerUser(test);
    await test.app.get(AccountLifecycle).update(id, { role: Role.Admin });
    const login = await test.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    const headers = { Authorization: `Bearer ${login.body.accessToken}` };
    await test.http().get('/admin/users').set(headers).expect(403).expect((response) => expect(response.body.code).toBe('AUTH_MFA_REQUIRED'));
    // Enrolment stays open, and so do the routes every principal needs.
    await test.http().get('/auth/me').set(headers).expect(200);
    const setup = await test.http().post('/auth/mfa/totp/setup').set(headers).send({ currentPassword: PASSWORD }).expect(200);
    await test.http().post('/auth/mfa/totp/enable').set(headers).send({ code: totp(setup.body.secret) }).expect(200);
    await test.http().get('/admin/users').set(headers).expect(403);
    await test.app.get(DataSource).query('UPDATE mfa_totp SET last_used_step = last_used_step - 10 WHERE user_id = $1', [id]);
    const started = await test.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    const verified = await test.http().post('/auth/mfa/verify').send({ mfaToken: started.body.mfaToken, code: totp(setup.body.secret) }).expect(200);
    await test.http().get('/admin/users').set({ Authorization: `Bearer ${verified.body.accessToken}` }).expect(200);
  });

  it('leaves plain users alone', async () => {
    const { email } = await registerUser(test);
    const login = await test.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
    await test.http().get('/users/me').set({ Authorization: `Bearer ${login.body.accessToken}` }).expect(200);
  });
});

describe('MFA routes and the auth rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH: '2', TRUST_PROXY: 'true' });
  });
  afterAll(() => app.close());

  it('counts POST /auth/mfa/verify in the per-IP auth budget', async () => {
    const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    const send = () => app.http().post('/auth/mfa/verify').set('X-Forwarded-For', ip).send({ mfaToken: 'a'.repeat(43), code: '123456' });
    expect((await send()).status).toBe(401);
    expect((await send()).status).toBe(401);
    const limited = await send().expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
  });
});

describe('MFA in the OpenAPI document', () => {
  const test = useTestApp();

  it('documents every MFA route with an operationId, a summary and its error answers', async () => {
    const { body: document } = await test.http().get('/docs-json').expect(200);
    const routes: Array<[string, string, string[]]> = [
      ['/auth/mfa/totp/setup', 'mfaTotpSetup', ['200', '401', '403', '409', '429']],
      ['/auth/mfa/totp/enable', 'mfaTotpEnable', ['200', '401', '403', '409', '429']],
      ['/auth/mfa/recovery-codes', 'mfaRegenerateRecoveryCodes', ['200', '401', '403', '409', '429']],
      ['/auth/mfa/totp/disable', 'mfaTotpDisable', ['204', '401', '403', '409', '429']],
      ['/auth/mfa/verify', 'mfaVerify', ['200', '400', '401', '429']],
    ];
    for (const [path, operationId, statuses] of routes) {
      const operation = document.paths[path]?.post;
      expect(operation).toMatchObject({ operationId, summary: expect.any(String) });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
    }
    expect(JSON.stringify(document.paths['/auth/login'].post.responses['200'])).toContain('MfaChallengeResponse');
    expect(document.components.schemas.PrincipalResponse.properties).toHaveProperty('amr');
  });
});
