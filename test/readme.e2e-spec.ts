import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { uniqueEmail, useTestApp } from './utils/test-app.js';

const README = resolve(import.meta.dirname, '..', 'README.md');

/** The README's curl walk-through: the bash block between the walk-through markers. */
async function walkThrough(): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const section = /<!-- walk-through:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walk-through:end -->/.exec(readme);
  if (section === null) throw new Error('README.md has no walk-through block between <!-- walk-through:start/end --> markers');
  return section[1];
}

describe("the README's curl walk-through", () => {
  // The README's emails, made unique so that runs and other specs sharing the database do not collide.
  const ada = uniqueEmail('ada');
  const admin = uniqueEmail('admin');
  const test = useTestApp({ ADMIN_EMAIL: admin, ADMIN_PASSWORD: 'a long admin passphrase' });

  it('runs as written from top to bottom, every request answering what its comment says', async () => {
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    const base = await test.app.getUrl();
    const script = (await walkThrough()).replaceAll('ada@example.com', ada).replaceAll('admin@example.com', admin);
    const cwd = await mkdtemp(join(tmpdir(), 'gatehouse-readme-'));
    // Every curl call reports its status on stderr; the block itself is run unchanged.
    const prelude = `set -euo pipefail\ncurl() { command curl -w '%{stderr}%{http_code} %{method} %{url_effective}\\n' "$@"; }\n`;
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile('bash', ['-c', prelude + script], { cwd, timeout: 60_000, env: { ...process.env, BASE: base } }, (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    await rm(cwd, { recursive: true, force: true });
    expect(result.code).toBe(0);
    const calls = result.stderr.trim().split('\n').map((line) => line.replace(base, '').replace(/[0-9a-f-]{36}/g, ':id'));
    expect(calls).toEqual([
      '201 POST /auth/register',
      '200 POST /auth/login',
      '200 GET /auth/me',
      '200 GET /users/me',
      '200 PATCH /users/me',
      '200 POST /auth/refresh',
      '200 GET /auth/sessions',
      '204 POST /auth/logout',
      '401 GET /users/me',
      '200 POST /auth/login',
      '200 GET /admin/users?page=1&limit=20',
      '200 GET /admin/users/:id',
      '200 PATCH /admin/users/:id',
      '200 PATCH /admin/users/:id',
      '204 DELETE /admin/users/:id/sessions',
      '200 GET /admin/audit?userId=:id',
      '200 POST /auth/session/login',
      '200 GET /auth/me',
      '200 PATCH /users/me',
      '403 PATCH /users/me',
      '204 POST /auth/session/logout',
    ]);
    expect(result.stdout).toContain('"code":"AUTH_SESSION_ENDED"');
    expect(result.stdout).toContain('"via":"session"');
    expect(result.stdout).toContain('"code":"AUTH_CSRF"');
  }, 90_000);
});
