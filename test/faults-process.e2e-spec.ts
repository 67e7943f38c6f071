import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { freeLoopbackPort } from '../src/core/database/embedded-postgres.js';
import { startOwnPostgres, stopChild, type OwnPostgres } from './utils/faults.js';
import { PASSWORD, uniqueEmail } from './utils/test-app.js';

/**
 * The built server (`node dist/src/main.js`) as a process: what it does on SIGTERM, and how it
 * fails to start. CI builds before testing; a missing or stale build is rebuilt here.
 */
jest.setTimeout(120_000);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

interface Server {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

function spawnServer(env: Record<string, string | undefined>, cwd = ROOT): Promise<Server> {
  return freeLoopbackPort().then((port) => {
    const child = spawn(process.execPath, [MAIN], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '', REDIS_URL: '', LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; at: number }>((resolveExit) => child.once('exit', (code) => resolveExit({ code, at: Date.now() })));
    running.add(child);
    return { child, port, stdout: () => stdout, stderr: () => stderr, exited };
  });
}

/** Waits until the server answers, or fails with what it printed. */
async function listening(server: Server, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`server exited ${server.child.exitCode}: ${server.stderr()}`);
    const ok = await fetch(`http://127.0.0.1:${server.port}/health/live`).then((response) => response.ok, () => false);
    if (ok) return;
    if (Date.now() - started > timeoutMs) throw new Error(`server not listening after ${timeoutMs} ms: ${server.stderr()}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

/** The non-empty lines a failed start wrote to stderr. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

const running = new Set<ChildProcess>();
let postgres: OwnPostgres;

beforeAll(async () => {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  }
  postgres = await startOwnPostgres();
}, 240_000);

afterAll(async () => {
  for (const child of running) await stopChild(child, 5000);
  await postgres?.stop();
});

/** A registration (bcrypt at the server's BCRYPT_COST); resolves with its status and when it ended. */
const register = (port: number) =>
  fetch(`http://127.0.0.1:${port}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: uniqueEmail('drain'), password: PASSWORD, name: 'Drain' }),
  }).then((response) => ({ status: response.status, at: Date.now() }));

/** Sends slow requests (bcrypt at cost 13), SIGTERMs while they run, and checks they all finish. */
async function drainsInFlight(server: Server): Promise<number> {
  const inFlight = Array.from({ length: 3 }, () => register(server.port));
  await new Promise((resolveWait) => setTimeout(resolveWait, 300));
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  const finished = await Promise.all(inFlight);
  expect(finished.map(({ status }) => status)).toEqual([201, 201, 201]);
  // They were still running when the signal came: this is the drain at work, not luck.
  expect(Math.max(...finished.map(({ at }) => at))).toBeGreaterThan(signalled);
  const { code, at } = await server.exited;
  expect(code).toBe(0);
  expect(server.stdout()).toContain('SIGTERM received: draining');
  expect(server.stdout()).toContain('Drained');
  expect(server.stderr()).not.toMatch(/^\s+at /m);
  return at - signalled;
}

describe('SIGTERM', () => {
  it('drains requests in flight and exits 0 within SHUTDOWN_TIMEOUT (DATABASE_URL set)', async () => {
    const server = await spawnServer({ DATABASE_URL: postgres.url, BCRYPT_COST: '13', SHUTDOWN_TIMEOUT: '30' });
    await listening(server);
    const took = await drainsInFlight(server);
    expect(took).toBeLessThan(30_000);
  });

  it('exits with status 1 once SHUTDOWN_TIMEOUT has passed with a request still running', async () => {
    const server = await spawnServer({ DATABASE_URL: postgres.url, BCRYPT_COST: '15', SHUTDOWN_TIMEOUT: '1' });
    await listening(server);
    const stuck = register(server.port).catch(() => 'cut');
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const { code, at } = await server.exited;
    expect(code).toBe(1);
    expect(at - signalled).toBeGreaterThanOrEqual(900);
    expect(at - signalled).toBeLessThan(1000 + 5000);
    expect(server.stdout()).toContain('still running after 1s');
    await stuck;
  });

  it('refuses new connections once draining started', async () => {
    const server = await spawnServer({ DATABASE_URL: postgres.url, BCRYPT_COST: '13' });
    await listening(server);
    const inFlight = register(server.port);
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    server.child.kill('SIGTERM');
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    const late = await fetch(`http://127.0.0.1:${server.port}/health/live`, { headers: { connection: 'close' } }).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    expect((await inFlight).status).toBe(201);
    expect((await server.exited).code).toBe(0);
  });

  it('with the embedded database: a second server on the same data fails in one line; the first drains, then stops PostgreSQL', async () => {
    // mkdtemp makes a directory only its owner can enter, like a checkout under /root.
    const cwd = mkdtempSync(join(tmpdir(), 'gatehouse-embedded-'));
    try {
      if (process.getuid?.() === 0) {
        // As root, PostgreSQL must run as an unprivileged user, who cannot enter it: say so.
        const refused = await spawnServer({ DATABASE_URL: '' }, cwd);
        expect((await refused.exited).code).toBe(1);
        expect(lines(refused.stderr())).toEqual([expect.stringMatching(/^The embedded PostgreSQL cannot run here: as root .* cannot enter .*gatehouse-embedded-.*DATABASE_URL/)]);
      }
      chmodSync(cwd, 0o755);
      const first = await spawnServer({ DATABASE_URL: '', BCRYPT_COST: '13' }, cwd);
      await listening(first, 90_000);

      const second = await spawnServer({ DATABASE_URL: '' }, cwd);
      const { code } = await second.exited;
      expect(code).toBe(1);
      expect(lines(second.stderr())).toEqual([expect.stringMatching(/embedded PostgreSQL data in \.data\/postgres is already in use by another server \(pid \d+\).*DATABASE_URL/)]);

      await drainsInFlight(first);
      expect(first.stdout()).toContain('Embedded PostgreSQL stopped');
      expect(existsSync(join(cwd, '.data', 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('start-up failures say what to set, in one line', () => {
  async function failedStart(env: Record<string, string>): Promise<{ stderr: string[]; ms: number }> {
    const started = Date.now();
    const server = await spawnServer(env);
    const { code, at } = await server.exited;
    expect(code).toBe(1);
    expect(server.stderr()).not.toMatch(/^\s+at /m);
    return { stderr: lines(server.stderr()), ms: at - started };
  }

  it('a malformed DATABASE_URL', async () => {
    const { stderr } = await failedStart({ DATABASE_URL: 'localhost:5432/db' });
    expect(stderr).toEqual([expect.stringMatching(/^Invalid configuration: DATABASE_URL must be a URL such as postgres:\/\//)]);
  });

  it('an unreachable DATABASE_URL: retries for STARTUP_TIMEOUT, saying so, then one line', async () => {
    const port = await freeLoopbackPort();
    const { stderr, ms } = await failedStart({ DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/db`, STARTUP_TIMEOUT: '3' });
    expect(stderr[0]).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+\/db is not reachable \(ECONNREFUSED\); retrying/);
    expect(stderr.at(-1)).toMatch(/^Cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/db: ECONNREFUSED; set DATABASE_URL/);
    expect(stderr.every((line) => !line.includes('u:p@'))).toBe(true);
    expect(ms).toBeGreaterThan(2500);
    expect(ms).toBeLessThan(3000 + 15_000);
  });

  it('an unreachable REDIS_URL', async () => {
    const port = await freeLoopbackPort();
    const { stderr } = await failedStart({ DATABASE_URL: postgres.url, REDIS_URL: `redis://127.0.0.1:${port}`, STARTUP_TIMEOUT: '2' });
    expect(stderr.at(-1)).toMatch(/^Cannot reach Redis at 127\.0\.0\.1:\d+: .*; set REDIS_URL to a reachable server, or unset it/);
  });

  it('production without DATABASE_URL', async () => {
    const { stderr } = await failedStart({ NODE_ENV: 'production', DATABASE_URL: '', JWT_SECRET: 'kR9v2mXq7LpT4wZs8NbYc3Hd6JfGa1Ue5Qo0Vi' });
    expect(stderr).toEqual([expect.stringMatching(/^Refusing to start: DATABASE_URL is required in production .*EMBEDDED_DATABASE=true/)]);
  });
});
