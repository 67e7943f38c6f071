import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { uniqueEmail, useTestApp } from './utils/test-app.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('requests.http', () => {
  // The file's emails, made unique so that runs and other specs sharing the database do not collide.
  const admin = uniqueEmail('admin');
  const test = useTestApp({ ADMIN_EMAIL: admin, ADMIN_PASSWORD: 'a long admin passphrase' });

  it('runs as it is, top to bottom, in a client nobody here wrote (httpyac, JetBrains HTTP Client format)', async () => {
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    const base = await test.app.getUrl();
    const file = (await readFile(join(ROOT, 'requests.http'), 'utf8'))
      .replace(/^@baseUrl = .*$/m, `@baseUrl = ${base}`)
      .replaceAll('ada@example.com', uniqueEmail('ada'))
      .replaceAll('admin@example.com', admin);
    const work = await mkdtemp(join(tmpdir(), 'gatehouse-http-'));
    await writeFile(join(work, 'requests.http'), file);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(join(ROOT, 'node_modules', '.bin', 'httpyac'), ['send', 'requests.http', '--all', '--output', 'short', '--json'], { cwd: work, timeout: 60_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    await rm(work, { recursive: true, force: true });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: { failedRequests: number; erroredRequests: number }; requests: { title: string; response?: { statusCode: number } }[] };
    expect(report.summary).toEqual(expect.objectContaining({ failedRequests: 0, erroredRequests: 0 }));
    expect(report.requests.map((request) => `${request.response?.statusCode} ${request.title.split(/[(:]/)[0].trim()}`)).toEqual([
      '201 Register',
      '200 Log in for a token pair',
      '200 Who am I, as the guard sees it',
      '200 Renew',
      '200 My profile',
      '200 My signed-in sessions',
      '204 Log out this session',
      '200 Log in as the ADMIN_EMAIL account',
      '200 Admin',
      '200 Admin',
      '204 Admin',
      '200 Admin',
      '200 Cookie session',
      '200 Signed in by the cookie alone',
      '200 A state change with a cookie needs the CSRF token from the login answer',
      '204 End the cookie session',
    ]);
  }, 90_000);
});
