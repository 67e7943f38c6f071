import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AfterResponse } from '../src/auth/after-response.js';
import { MailDeliveryWorker } from '../src/mail/mail-delivery.worker.js';
import { MailOutbox } from '../src/mail/mail-outbox.js';
import {
  PASSWORD, cookieHeader, createTestApp, eventually, login, setCookies, signUp, uniqueEmail, type TestApp,
} from './utils/test-app.js';
import { MailCatcher, linkToken } from './utils/mail-catcher.js';

const NEW_PASSWORD = 'a completely different passphrase';
const APP_URL = 'https://app.example.test';
const VERIFY = /confirm your email/i;
const RESET = /reset your password/i;

/** Fast polling and retries, so an outage and its recovery take milliseconds. */
const mailEnv = (catcher: MailCatcher, extra: Record<string, string> = {}) => ({
  MAIL_URL: catcher.url,
  MAIL_FROM: 'Gatehouse <auth@example.test>',
  APP_URL,
  MAIL_POLL_INTERVAL: '50',
  MAIL_RETRY_BASE: '100',
  MAIL_WORKER: 'on',
  ...extra,
});

const query = (test: TestApp, sql: string, params: unknown[] = []) => test.app.get(DataSource).query(sql, params);
const settled = (test: TestApp) => test.app.get(AfterResponse).settled();

describe('Email flows (real SMTP server)', () => {
  const catcher = new MailCatcher();
  let test: TestApp;

  beforeAll(async () => {
    await catcher.start();
    test = await createTestApp(mailEnv(catcher));
  });

  afterAll(async () => {
    await test?.close();
    await catcher.stop();
  });

  describe('verification (EMAIL_VERIFICATION=optional, the default)', () => {
    it('register → the mail arrives → its link verifies the address, once', async () => {
      const email = uniqueEmail('verify');
      const registered = await test.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
      expect(registered.body.user.emailVerified).toBe(false);

      const mail = await catcher.waitFor(email, VERIFY);
      expect(mail.text).toContain(`${APP_URL}/verify-email?token=`);
      expect(mail.html).toContain(`${APP_URL}/verify-email?token=`);
      const token = linkToken(mail, 'verify-email');
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);

      const verified = await test.http().post('/auth/email/verify').send({ token }).expect(200);
      expect(verified.body.user).toMatchObject({ email, emailVerified: true });
      const signedIn = await login(test, email);
      const me = await test.http().get('/users/me').set(signedIn.bearer).expect(200);
      expect(me.body.emailVerified).toBe(true);

      const again = await test.http().post('/auth/email/verify').send({ token }).expect(400);
      expect(again.body.code).toBe('EMAIL_TOKEN_INVALID');
    });

    it('refuses a made-up token with a code, not a 500', async () => {
      for (const token of ['x', 'A'.repeat(43), '../../etc/passwd']) {
        const response = await test.http().post('/auth/email/verify').send({ token }).expect(400);
        expect(response.body.code).toBe('EMAIL_TOKEN_INVALID');
      }
      await test.http().post('/auth/email/verify').send({}).expect(400);
    });

    it('resend: 202 for anyone; a new link only for an unverified account, and the old link dies', async () => {
      const email = uniqueEmail('resend');
      await test.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
      const first = linkToken(await catcher.waitFor(email, VERIFY), 'verify-email');
      await test.http().post('/auth/email/verify/resend').send({ email }).expect(202);
      await test.http().post('/auth/email/verify/resend').send({ email: uniqueEmail('nobody') }).expect(202);
      const second = linkToken(await catcher.waitFor(email, VERIFY, 2), 'verify-email');
      expect((await test.http().post('/auth/email/verify').send({ token: first }).expect(400)).body.code).toBe('EMAIL_TOKEN_INVALID');
      await test.http().post('/auth/email/verify').send({ token: second }).expect(200);

      await test.http().post('/auth/email/verify/resend').send({ email }).expect(202);
      await settled(test);
      await test.app.get(MailDeliveryWorker).run();
      expect(catcher.to(email)).toHaveLength(2);
    });
  });

  describe('password reset', () => {
    it('forgot → reset: old sessions (Bearer and cookie) and the old password are refused, the link works once', async () => {
      const user = await signUp(test);
      const sessionLogin = await test.http().post('/auth/session/login').send({ email: user.email, password: PASSWORD }).expect(200);
      const sid = setCookies(sessionLogin).sid.value;
      const cookie = { Cookie: cookieHeader({ sid }) };
      await test.http().get('/auth/me').set(cookie).expect(200);
      await test.http().get('/auth/me').set(user.bearer).expect(200);

      await test.http().post('/auth/password/forgot').send({ email: ` ${user.email.toUpperCase()} ` }).expect(202);
      const mail = await catcher.waitFor(user.email, RESET);
      const token = linkToken(mail, 'reset-password');

      // Typed: a reset link verifies no address (and is not spent by trying).
      expect((await test.http().post('/auth/email/verify').send({ token }).expect(400)).body.code).toBe('EMAIL_TOKEN_INVALID');
      expect((await test.http().post('/auth/email/confirm').send({ token }).expect(400)).body.code).toBe('EMAIL_TOKEN_INVALID');
      // The password policy applies, with the account's own address as context.
      const weak = await test.http().post('/auth/password/reset').send({ token, newPassword: 'password' }).expect(400);
      expect(weak.body.code).toBe('VALIDATION_FAILED');
      const ownEmail = await test.http().post('/auth/password/reset').send({ token, newPassword: user.email }).expect(400);
      expect(ownEmail.body.code).toBe('VALIDATION_FAILED');

      await test.http().post('/auth/password/reset').send({ token, newPassword: NEW_PASSWORD }).expect(204);

      expect((await test.http().get('/auth/me').set(user.bearer).expect(401)).body.code).toMatch(/^AUTH_/);
      await test.http().get('/auth/me').set(cookie).expect(401);
      await test.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
      await login(test, user.email, NEW_PASSWORD);
      const reused = await test.http().post('/auth/password/reset').send({ token, newPassword: 'yet another long passphrase' }).expect(400);
      expect(reused.body.code).toBe('EMAIL_TOKEN_INVALID');

      const [{ types }] = await query(test, `SELECT array_agg(type::text ORDER BY id) AS types FROM audit_events WHERE user_id = $1`, [user.id]);
      expect(types).toEqual(expect.arrayContaining(['password_reset_requested', 'password_reset']));
      const rejected = await query(test, `SELECT details FROM audit_events WHERE type = 'email_token_rejected' ORDER BY id DESC LIMIT 1`);
      expect(JSON.stringify(rejected)).not.toContain(token);
    });

    it('answers 202 for an unknown email, in the same time as for a known one', async () => {
      const known = await signUp(test);
      const time = async (email: string) => {
        await settled(test);
        const started = process.hrtime.bigint();
        await test.http().post('/auth/password/forgot').send({ email }).expect(202);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const knownTimes: number[] = [];
      const unknownTimes: number[] = [];
      for (let i = 0; i < 6; i++) {
        knownTimes.push(await time(known.email));
        unknownTimes.push(await time(uniqueEmail('nobody')));
      }
      await settled(test);
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      // The answer is sent before the address is looked up; what is left is noise.
      expect(Math.abs(median(knownTimes) - median(unknownTimes))).toBeLessThan(25);
      // Six requests, three mails: the per-email limit (whatever the IP) held.
      await test.app.get(MailDeliveryWorker).run();
      expect(catcher.to(known.email, RESET)).toHaveLength(3);
      const outcomes = await query(test, `SELECT details->>'outcome' AS outcome FROM audit_events WHERE user_id = $1 AND type = 'password_reset_requested'`, [known.id]);
      expect(outcomes.map((row: { outcome: string }) => row.outcome).sort()).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'sent', 'sent', 'sent']);
    });

    it('a link dies when the password changes by another route, and when it expires', async () => {
      const user = await signUp(test);
      await test.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
      const first = linkToken(await catcher.waitFor(user.email, RESET), 'reset-password');
      await test.http().post('/users/me/password').set(user.bearer).send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
      const dead = await test.http().post('/auth/password/reset').send({ token: first, newPassword: 'yet another long passphrase' }).expect(400);
      expect(dead.body.code).toBe('EMAIL_TOKEN_INVALID');

      await test.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
      const second = linkToken(await catcher.waitFor(user.email, RESET, 2), 'reset-password');
      await query(test, `UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL`, [user.id]);
      const expired = await test.http().post('/auth/password/reset').send({ token: second, newPassword: 'yet another long passphrase' }).expect(400);
      expect(expired.body.code).toBe('EMAIL_TOKEN_EXPIRED');
      await login(test, user.email, NEW_PASSWORD);
    });

    it('two resets racing with one link: exactly one succeeds', async () => {
      const user = await signUp(test);
      await test.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
      const token = linkToken(await catcher.waitFor(user.email, RESET), 'reset-password');
      // Another site's page cannot push the reset through a browser.
      const crossSite = await test.http().post('/auth/password/reset').set('Origin', 'https://evil.example').send({ token, newPassword: NEW_PASSWORD }).expect(403);
      expect(crossSite.body.code).toBe('AUTH_ORIGIN');
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) => test.http().post('/auth/password/reset').send({ token, newPassword: `${NEW_PASSWORD} ${i}` })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 400, 400, 400, 400]);
    });
  });

  describe('the outbox', () => {
    it('SMTP down during forgot: 202 at once, the mail arrives once the server is back', async () => {
      const user = await signUp(test);
      await catcher.waitFor(user.email, VERIFY);
      await catcher.stop();
      try {
        const started = Date.now();
        await test.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
        expect(Date.now() - started).toBeLessThan(1000);
        // At least two failed attempts, each rescheduled further out.
        await eventually(async () => {
          const [row] = await query(test, `SELECT attempts, last_error FROM mail_outbox WHERE recipient = $1 AND sent_at IS NULL`, [user.email]);
          return row !== undefined && row.attempts >= 2 && row.last_error !== null;
        }, 10_000);
      } finally {
        await catcher.start();
      }
      const mail = await catcher.waitFor(user.email, RESET);
      await test.http().post('/auth/password/reset').send({ token: linkToken(mail, 'reset-password'), newPassword: NEW_PASSWORD }).expect(204);
    });

    it('keeps no raw token in the database once the mail is delivered', async () => {
      const user = await signUp(test);
      await test.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
      const token = linkToken(await catcher.waitFor(user.email, RESET), 'reset-password');
      await eventually(async () => {
        const rows = await query(test, `SELECT 1 FROM mail_outbox WHERE recipient = $1 AND sent_at IS NULL`, [user.email]);
        return rows.length === 0;
      }, 5000);
      const [{ leaks }] = await query(
        test,
        `SELECT count(*)::int AS leaks FROM (
           SELECT row_to_json(m)::text AS j FROM mail_outbox m
           UNION ALL SELECT row_to_json(t)::text FROM email_tokens t
           UNION ALL SELECT row_to_json(a)::text FROM audit_events a) x
         WHERE strpos(j, $1) > 0`,
        [token],
      );
      expect(leaks).toBe(0);
      const sent = await query(test, `SELECT text_body, html_body FROM mail_outbox WHERE recipient = $1`, [user.email]);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((row: { text_body: string | null; html_body: string | null }) => row.text_body === null && row.html_body === null)).toBe(true);
      const [stored] = await query(test, `SELECT token_hash FROM email_tokens WHERE user_id = $1 AND purpose = 'reset_password'`, [user.id]);
      expect(Buffer.compare(stored.token_hash, createHash('sha256').update(token).digest())).toBe(0);
    });

    it('two instances on one outbox deliver each message exactly once', async () => {
      const second = await createTestApp(mailEnv(catcher));
      try {
        const recipients = Array.from({ length: 40 }, () => uniqueEmail('once'));
        const outbox = test.app.get(MailOutbox);
        await test.app.get(DataSource).transaction(async (manager) => {
          for (const to of recipients) {
            await outbox.queue(manager, { to, subject: 'Once', text: 'exactly once', expiresAt: new Date(Date.now() + 60_000) });
          }
        });
        const workers = [test.app.get(MailDeliveryWorker), second.app.get(MailDeliveryWorker)];
        await Promise.all([...workers, ...workers].map((worker) => worker.run()));
        await eventually(async () => recipients.every((to) => catcher.to(to).length > 0), 10_000);
        // Let both keep polling a while longer: nothing may be sent again.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(recipients.map((to) => catcher.to(to).length)).toEqual(recipients.map(() => 1));
      } finally {
        await second.close();
      }
    });

    it('gives up (and clears) a message whose link expired before it could be delivered', async () => {
      const to = uniqueEmail('late');
      const outbox = test.app.get(MailOutbox);
      await test.app.get(DataSource).transaction((manager) =>
        outbox.queue(manager, { to, subject: 'Late', text: 'too late', expiresAt: new Date(Date.now() - 1000) }),
      );
      await test.app.get(MailDeliveryWorker).run();
      const [row] = await query(test, `SELECT sent_at, abandoned_at, text_body FROM mail_outbox WHERE recipient = $1`, [to]);
      expect(row).toMatchObject({ sent_at: null, text_body: null });
      expect(row.abandoned_at).not.toBeNull();
      expect(catcher.to(to)).toHaveLength(0);
    });
  });

  describe('email change', () => {
    it('confirmed from the new address, notified to the old one', async () => {
      const user = await signUp(test);
      const newEmail = uniqueEmail('moved');
      const wrong = await test.http().post('/users/me/email').set(user.bearer).send({ newEmail, currentPassword: 'not my password' }).expect(403);
      expect(wrong.body.code).toBe('AUTH_WRONG_PASSWORD');
      await test.http().post('/users/me/email').set(user.bearer).send({ newEmail, currentPassword: PASSWORD }).expect(202);

      const notice = await catcher.waitFor(user.email, /being changed/i);
      expect(notice.text).not.toMatch(/token=/);
      const token = linkToken(await catcher.waitFor(newEmail, /new email address/i), 'confirm-email');
      const confirmed = await test.http().post('/auth/email/confirm').send({ token }).expect(200);
      expect(confirmed.body.user).toMatchObject({ id: user.id, email: newEmail, emailVerified: true });
      await login(test, newEmail);
      await test.http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
      expect((await test.http().post('/auth/email/confirm').send({ token }).expect(400)).body.code).toBe('EMAIL_TOKEN_INVALID');
    });

    it('answers the same 202 for a taken address; its owner is told, nobody gets a link', async () => {
      const user = await signUp(test);
      const owner = await signUp(test);
      await test.http().post('/users/me/email').set(user.bearer).send({ newEmail: owner.email, currentPassword: PASSWORD }).expect(202);
      const notice = await catcher.waitFor(owner.email, /tried to use your address/i);
      expect(notice.text).not.toMatch(/token=/);
      await settled(test);
      await test.app.get(MailDeliveryWorker).run();
      expect(catcher.to(user.email)).toEqual([expect.objectContaining({ subject: expect.stringMatching(VERIFY) })]);
    });

    it('a link fails with USER_EMAIL_TAKEN when someone took the address meanwhile', async () => {
      const user = await signUp(test);
      const newEmail = uniqueEmail('contested');
      await test.http().post('/users/me/email').set(user.bearer).send({ newEmail, currentPassword: PASSWORD }).expect(202);
      const token = linkToken(await catcher.waitFor(newEmail, /new email address/i), 'confirm-email');
      await test.http().post('/auth/register').send({ email: newEmail, password: PASSWORD }).expect(201);
      const taken = await test.http().post('/auth/email/confirm').send({ token }).expect(409);
      expect(taken.body.code).toBe('USER_EMAIL_TAKEN');
      const me = await test.http().get('/users/me').set(user.bearer).expect(200);
      expect(me.body.email).toBe(user.email);
    });
  });

  describe('EMAIL_VERIFICATION=required', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await createTestApp(mailEnv(catcher, { EMAIL_VERIFICATION: 'required' }));
    });
    afterAll(async () => {
      await strict?.close();
    });

    it('answers 202 alike for a new and a registered email; login waits for the link', async () => {
      const email = uniqueEmail('strict');
      const first = await strict.http().post('/auth/register').send({ email, password: PASSWORD }).expect(202);
      const second = await strict.http().post('/auth/register').send({ email, password: PASSWORD }).expect(202);
      expect(second.body).toEqual(first.body);
      expect(first.body).toEqual({ message: expect.any(String) });

      await strict.http().post('/auth/login').send({ email, password: 'wrong password here' }).expect(401);
      const unverified = await strict.http().post('/auth/login').send({ email, password: PASSWORD }).expect(403);
      expect(unverified.body.code).toBe('AUTH_EMAIL_UNVERIFIED');
      const sessionLogin = await strict.http().post('/auth/session/login').send({ email, password: PASSWORD }).expect(403);
      expect(sessionLogin.body.code).toBe('AUTH_EMAIL_UNVERIFIED');

      // The second registration mailed a fresh link to the (unverified) owner; the first one died with it.
      await catcher.waitFor(email, VERIFY, 2);
      const answers = await Promise.all(
        catcher.to(email, VERIFY).map((mail) => strict.http().post('/auth/email/verify').send({ token: linkToken(mail, 'verify-email') })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
      await login(strict, email);

      await strict.http().post('/auth/register').send({ email, password: PASSWORD }).expect(202);
      const notice = await catcher.waitFor(email, /tried to sign up/i);
      expect(notice.text).not.toMatch(/token=/);
    });
  });
});

describe('Email flows without MAIL_URL (development)', () => {
  it('writes each mail as an .eml file carrying the link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-outbox-'));
    const test = await createTestApp({ MAIL_URL: '', MAIL_OUTBOX_DIR: dir, APP_URL, MAIL_POLL_INTERVAL: '50', MAIL_WORKER: 'on' });
    try {
      const user = await signUp(test);
      await test.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
      let files: string[] = [];
      await eventually(async () => {
        files = (await readdir(dir)).filter((file) => file.endsWith('.eml'));
        return files.length >= 2;
      }, 10_000);
      const contents = await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')));
      expect(contents.some((raw) => raw.includes(`To: ${user.email}`) && /reset-password\?token=/.test(raw.replace(/=\r?\n/g, '')))).toBe(true);
    } finally {
      await test.close();
    }
  });
});

describe('Email flows switched off (EMAIL_FLOWS=off)', () => {
  it('answers 404 on every mail route and queues nothing at registration', async () => {
    const test = await createTestApp({ EMAIL_FLOWS: 'off', EMAIL_VERIFICATION: 'off' });
    try {
      const user = await signUp(test);
      const routes: Array<[string, Record<string, string>]> = [
        ['/auth/password/forgot', { email: user.email }],
        ['/auth/password/reset', { token: 'x', newPassword: NEW_PASSWORD }],
        ['/auth/email/verify', { token: 'x' }],
        ['/auth/email/verify/resend', { email: user.email }],
        ['/auth/email/confirm', { token: 'x' }],
      ];
      for (const [route, body] of routes) {
        expect((await test.http().post(route).send(body).expect(404)).body.code).toBe('NOT_FOUND');
      }
      const change = await test.http().post('/users/me/email').set(user.bearer).send({ newEmail: uniqueEmail(), currentPassword: PASSWORD }).expect(404);
      expect(change.body.code).toBe('NOT_FOUND');
      expect(await test.app.get(DataSource).query('SELECT 1 FROM mail_outbox WHERE recipient = $1', [user.email])).toEqual([]);
    } finally {
      await test.close();
    }
  });
});
