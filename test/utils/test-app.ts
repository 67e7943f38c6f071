import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.setup.js';
import { Role } from '../../src/access/role.enum.js';
import { AccountLifecycle } from '../../src/auth/account-lifecycle.service.js';

export type Http = ReturnType<typeof request>;

export interface TestApp {
  app: NestFastifyApplication;
  http: () => Http;
  close: () => Promise<void>;
}

/**
 * The real AppModule on the real test database, through the same createApp() as production.
 * `env` is laid over process.env for this app only: apps with different settings can run at once.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await createApp({ env: { ...process.env, ...env } });
  try {
    await app.init();
  } catch (error) {
    // A start-up refusal (a bad ADMIN_PASSWORD) leaves connections open that would outlive the test.
    await app.close().catch(() => undefined);
    throw error;
  }
  await app.getHttpAdapter().getInstance().ready();
  return { app, http: () => request(app.getHttpServer()), close: () => app.close() };
}

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.com`;
export const PASSWORD = 'correct horse battery staple';

export interface SignedIn {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  bearer: { Authorization: string };
}

export async function registerUser(test: TestApp, email = uniqueEmail(), password = PASSWORD): Promise<{ id: string; email: string; password: string }> {
  const response = await test.http().post('/auth/register').send({ email, password, name: 'Test User' }).expect(201);
  return { id: response.body.user.id, email, password };
}

export async function login(test: TestApp, email: string, password = PASSWORD): Promise<SignedIn> {
  const response = await test.http().post('/auth/login').send({ email, password }).expect(200);
  const { accessToken, refreshToken } = response.body;
  return { id: response.body.user.id, email, password, accessToken, refreshToken, bearer: { Authorization: `Bearer ${accessToken}` } };
}

export async function signUp(test: TestApp, email = uniqueEmail()): Promise<SignedIn> {
  await registerUser(test, email);
  return login(test, email);
}

/** An admin for the test, promoted through the service (the API never lets a user do that). */
export async function signUpAdmin(test: TestApp): Promise<SignedIn> {
  const { id, email } = await registerUser(test, uniqueEmail('admin'));
  await test.app.get(AccountLifecycle).update(id, { role: Role.Admin });
  return login(test, email);
}

/** Polls `check` until it returns true, failing after `timeoutMs`; returns the time it took. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, stepMs = 20): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return Date.now() - started;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SetCookie {
  value: string;
  attributes: Record<string, string | true>;
}

/** The cookies a response sets, by name, with their attributes (keys lower-cased). */
export function setCookies(response: { headers: Record<string, unknown> }): Record<string, SetCookie> {
  const raw = response.headers['set-cookie'];
  const lines = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return Object.fromEntries(
    lines.map((line) => {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const index = pair.indexOf('=');
      return [
        pair.slice(0, index),
        {
          value: pair.slice(index + 1),
          attributes: Object.fromEntries(
            attributes.map((attribute) => {
              const [key, ...rest] = attribute.split('=');
              return [key.toLowerCase(), rest.length > 0 ? rest.join('=') : true];
            }),
          ),
        },
      ];
    }),
  );
}

/** A `Cookie` request header from name → value. */
export const cookieHeader = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

/**
 * Starts a test app before the enclosing describe's tests and closes it after them. The returned
 * object forwards to the running app, so specs write `const test = useTestApp()` once.
 */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await createTestApp(env);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): TestApp => {
    if (!started) throw new Error('the test app starts in beforeAll');
    return started;
  };
  return {
    get app() {
      return current().app;
    },
    http: () => current().http(),
    close: () => current().close(),
  };
}
