import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { login, signUp, useTestApp, type SignedIn } from './utils/test-app.js';

// Swagger UI in a real headless Chromium (Debian's; `.ci/run` installs it when missing), driven
// as a person would: Authorize, Try it out, Execute.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OTHER_HOST = 'gatehouse.test';
const UI_TIMEOUT_MS = 20_000;

async function operationIds(page: Page): Promise<string[]> {
  await page.locator('.opblock').first().waitFor({ timeout: UI_TIMEOUT_MS });
  return page.locator('.opblock').evaluateAll((blocks) => blocks.map((block) => block.id));
}

/** Expands an operation, presses Try it out (optionally replacing the JSON body) and Execute; returns the live status and body. */
async function tryItOut(page: Page, tag: string, operationId: string, body?: unknown): Promise<{ status: string; body: string }> {
  const block = page.locator(`#operations-${tag}-${operationId}`);
  await block.locator('.opblock-summary').first().click();
  await block.locator('.try-out__btn').click();
  if (body !== undefined) await block.locator('textarea.body-param__text').fill(JSON.stringify(body));
  await block.locator('.execute').click();
  const live = block.locator('.live-responses-table .response').first();
  await live.waitFor({ timeout: UI_TIMEOUT_MS });
  return {
    status: (await live.locator('.response-col_status').innerText()).trim(),
    body: await live.locator('.response-col_description .microlight').first().innerText(),
  };
}

/** Fills one security scheme's value in the Authorize dialog. */
async function authorize(page: Page, scheme: string, value: string): Promise<void> {
  await page.locator('.auth-wrapper .authorize').first().click();
  const container = page.locator('.auth-container').filter({ has: page.locator('h4', { hasText: new RegExp(`^${scheme}\\b`) }) });
  await container.locator('input').fill(value);
  await container.locator('button.authorize').click();
  await page.locator('.modal-ux button.close-modal').click();
}

describe('Swagger UI in a real browser', () => {
  const test = useTestApp();
  let port: number;
  let profile: string;
  let browser: BrowserContext;
  let user: SignedIn;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(await test.app.getUrl()).port);
    user = await signUp(test);
    profile = await mkdtemp(join(tmpdir(), 'gatehouse-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--host-resolver-rules=MAP ${OTHER_HOST} 127.0.0.1`,
      ],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('Authorize with a token from login, then Try it out on GET /users/me answers 200', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/docs`);
    expect(await operationIds(page)).toContain('operations-users-usersMe');
    const { accessToken } = await login(test, user.email);
    await authorize(page, 'bearer', accessToken);
    const result = await tryItOut(page, 'users', 'usersMe');
    expect(result.status).toBe('200');
    expect(JSON.parse(result.body)).toEqual(expect.objectContaining({ id: user.id, email: user.email }));
    await page.close();
  }, 60_000);

  it('the cookie flow as the page describes it: session login in the page, its CSRF token in Authorize, then a state change', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/docs`);
    // persistAuthorization keeps the Bearer token of the test before in localStorage.
    await page.evaluate('localStorage.clear()');
    await page.reload();
    await operationIds(page);
    const signedIn = await tryItOut(page, 'auth', 'authSessionLogin', { email: user.email, password: user.password });
    expect(signedIn.status).toBe('200');
    const { csrfToken } = JSON.parse(signedIn.body) as { csrfToken: string };
    const whoAmI = await tryItOut(page, 'auth', 'authMe');
    expect(JSON.parse(whoAmI.body)).toEqual(expect.objectContaining({ userId: user.id, via: 'session' }));
    await authorize(page, 'csrf', csrfToken);
    const renamed = await tryItOut(page, 'users', 'usersUpdate', { name: 'Renamed in Swagger UI' });
    expect(renamed.status).toBe('200');
    expect(JSON.parse(renamed.body)).toEqual(expect.objectContaining({ name: 'Renamed in Swagger UI' }));
    await page.close();
  }, 60_000);

  it('loaded through another host name over plain HTTP, renders every operation and calls the API on that host', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://${OTHER_HOST}:${port}/docs`);
    // An upgrade-insecure-requests CSP would send every asset to https:// and leave a blank page.
    expect(response?.headers()['content-security-policy'] ?? '').not.toMatch(/upgrade-insecure-requests/);
    const { body: document } = await test.http().get('/docs-json').expect(200);
    const documented = Object.values(document.paths as Record<string, object>).reduce((count, item) => count + Object.keys(item).length, 0);
    expect(await operationIds(page)).toHaveLength(documented);
    const about = await tryItOut(page, 'operations', 'appIndex');
    expect(about.status).toBe('200');
    expect(JSON.parse(about.body)).toEqual(expect.objectContaining({ docs: '/docs' }));
    await page.close();
  }, 60_000);
});
