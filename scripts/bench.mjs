// `npm run bench`: what Gatehouse's request pipeline costs next to the framework it runs on. It
// starts the built server on a loopback port (against an embedded PostgreSQL in a temporary
// directory unless DATABASE_URL is set), fills its revocation list with a few thousand revoked
// sessions, and starts two baselines of its own (scripts/bench-baselines.mjs): a raw node:http
// server and a bare NestJS app on Fastify with one route. It measures in one run the baselines,
// the unguarded `GET /` and `GET /auth/me` with each credential, and reports every figure as a
// ratio to the baselines of the same run. Then logins: their rate against bcrypt's own bound on
// this machine (measured in a separate process), and /auth/me's p99 while logins saturate the
// thread pool against its p99 at rest, beside the same probes of two servers that take no logins
// (a twin of the server and raw node:http). The machine is noisy, so every target runs in several
// short interleaved rounds, each round on newly started servers, and the medians of the rounds'
// ratios are reported. Everything talks to 127.0.0.1 only.
// The figures are a report: the exit code is 0 even below target and non-zero only when the run
// itself fails.
import { execFile, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { constants as osConstants, cpus, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SETTINGS = {
  // 7 rather than 5: on a shared virtual machine a neighbour can spoil two or three 3 s windows
  // of one target in a run, and the median of 7 still stands on undisturbed ones.
  rounds: positiveInt('BENCH_ROUNDS', 7),
  seconds: positiveInt('BENCH_SECONDS', 3),
  loginRounds: positiveInt('BENCH_LOGIN_ROUNDS', 3),
  // The cost the logins are measured at (the server's BCRYPT_COST for this run): by default the
  // server's own default, the cost a deployment runs at unless it chooses another.
  bcryptCost: positiveInt('BENCH_BCRYPT_COST', 12),
  // Each login flood and bound: long enough for a few dozen logins at cost 12 after the warm-up.
  loginSeconds: positiveInt('BENCH_LOGIN_SECONDS', 7),
  loginConcurrency: 8,
  // /auth/me during the login flood is probed at a steady, light rate: its latency is the point.
  probeConnections: 2,
  probeRate: 200,
  warmupSeconds: 1,
  connections: 50,
  revokedSessions: 5000,
  readyTimeoutMs: 30_000,
  stopGraceMs: 5_000,
  requestTimeoutMs: 10_000,
  // Far above a normal run (about 6 minutes): only a hang gets here.
  deadlineMs: 15 * 60_000,
  // BENCH_PIN=0: servers and wrk float over every core, as the scheduler places them.
  pin: process.env.BENCH_PIN !== '0',
  // BENCH_FRESH=0: one process per server for the whole run instead of new ones every round.
  fresh: process.env.BENCH_FRESH !== '0',
};

const log = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Clean-up. Every resource registers how to undo itself as soon as it exists; the steps run once,
// last in first out, on success, on failure, on SIGINT/SIGTERM/SIGHUP and at the deadline.

const undoSteps = [];
/** Aborted when clean-up starts, so that a load run or a request in flight ends at once. */
const aborted = new AbortController();
let cleaning;

function cleanup() {
  cleaning ??= (async () => {
    aborted.abort();
    while (undoSteps.length > 0) {
      const step = undoSteps.pop();
      await step().catch((error) => log(`clean-up: ${error.message}`));
    }
  })();
  return cleaning;
}

// Last resort if the process exits before the clean-up is over (an uncaught error, a stray
// process.exit): nothing we started may outlive us.
const liveChildren = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      log(`could not remove ${dir}: ${error.message}`);
    }
  }
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`\n${signal}: stopping the server and the database`);
    void cleanup().finally(() => process.exit(128 + osConstants.signals[signal]));
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function positiveInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Asks the kernel for a free loopback port. */
function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function isOnPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const decodeJwtPart = (token, index) => JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));

/** fetch, bounded in time and cancelled by clean-up. */
function request(base, path, { method = 'GET', headers = {}, body } = {}) {
  return fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.any([aborted.signal, AbortSignal.timeout(SETTINGS.requestTimeoutMs)]),
  });
}

/** POSTs JSON and insists on `status`; returns the parsed body and the cookies that were set. */
async function postJson(base, path, body, status) {
  const response = await request(base, path, { method: 'POST', body });
  const text = await response.text();
  if (response.status !== status) throw new Error(`POST ${path} answered ${response.status} (expected ${status}): ${text}`);
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]);
  return { body: text ? JSON.parse(text) : undefined, cookies };
}

// ---------------------------------------------------------------------------------------------
// Database and server

/** DATABASE_URL when set; otherwise a throw-away embedded PostgreSQL, removed at the end. */
async function provideDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, external: true };
  const { startEmbeddedPostgres } = await withoutForeignProcessHooks(() => import('../dist/src/core/database/embedded-postgres.js'));
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-bench-pg-'));
  tempDirs.add(dir);
  undoSteps.push(async () => {
    await rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  });
  // An interruption during initdb or start-up waits for it to settle, then stops the cluster,
  // and only then removes its directory.
  const starting = startEmbeddedPostgres(dir, log);
  undoSteps.push(async () => (await starting.catch(() => undefined))?.stop());
  return { url: (await starting).url, external: false };
}

/**
 * embedded-postgres installs process hooks (async-exit-hook) that get in the way here: on a
 * signal they stop the cluster and exit at once, so the server loses its database before it is
 * stopped and the data directory is left behind; on `beforeExit` they call process.exit(0),
 * which turns a failed run into exit code 0. The clean-up above stops everything in order and
 * the exit code is ours, so the hooks that loading the module added are taken out again.
 */
async function withoutForeignProcessHooks(load) {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  const loaded = await load();
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded;
}

/**
 * The server's environment is built here rather than inherited: a Gatehouse variable exported in
 * this shell (JWT_ALGORITHM, REDIS_URL, a low RATE_LIMIT_AUTH…) would change what is measured.
 */
function serverEnvironment({ port, databaseUrl, jwtSecret }) {
  const inherited = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((key) => process.env[key] !== undefined);
  return {
    ...Object.fromEntries(inherited.map((key) => [key, process.env[key]])),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    BCRYPT_COST: String(SETTINGS.bcryptCost),
    // The login flood comes from one address; the per-IP limit would turn it into 429s.
    RATE_LIMIT_AUTH: '1000000',
    NODE_ENV: 'development',
  };
}

/**
 * Starts `node dist/src/main.js` and resolves once `GET /` answers 200. With BENCH_CPU_PROF=<dir>
 * the server writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
 */
const startServer = (env) =>
  startProcess(
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
      // As `npm run start:prod` starts it: the thread pool sized and deprioritised first.
      '--require',
      './dist/src/thread-pool.cjs',
      'dist/src/main.js',
    ],
    env,
  );

/** A baseline server (scripts/bench-baselines.mjs) on a loopback port. */
async function startBaseline(kind, port) {
  const inherited = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((key) => process.env[key] !== undefined);
  const env = { ...Object.fromEntries(inherited.map((key) => [key, process.env[key]])), PORT: String(port), NODE_ENV: 'production' };
  return startProcess(['scripts/bench-baselines.mjs', kind, String(port)], env);
}

/** Starts a node process serving on env.PORT and resolves once its `GET /` answers 200. */
async function startProcess(args, env) {
  // The server's own log (warnings and errors only) goes to our stderr, apart from the report.
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 2, 2] });
  liveChildren.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  void exited.then(() => liveChildren.delete(child));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  const stop = async () => {
    if (hasExited()) return;
    child.kill('SIGTERM');
    if ((await Promise.race([exited, sleep(SETTINGS.stopGraceMs, 'timeout')])) === 'timeout') {
      log('server ignored SIGTERM for 5 s: killing it');
      child.kill('SIGKILL');
      await exited;
    }
  };
  undoSteps.push(stop);

  const base = `http://127.0.0.1:${env.PORT}`;
  const started = Date.now();
  while (Date.now() - started < SETTINGS.readyTimeoutMs) {
    if (hasExited()) throw new Error(`the server exited (code ${child.exitCode}, signal ${child.signalCode}) before answering; see its output above`);
    const ready = await request(base, '/').then((response) => response.status === 200, () => false);
    if (ready) return { base, stop, pid: child.pid };
    await sleep(100);
  }
  throw new Error(`the server did not answer GET / with 200 within ${SETTINGS.readyTimeoutMs / 1000} s`);
}

/** Revoked sessions written behind the server's back: it only learns of them when it starts. */
async function insertRevokedSessions(databaseUrl, userId, count) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `INSERT INTO sessions (user_id, kind, expires_at, revoked_at, revoked_reason)
       SELECT $1, 'token', now() + interval '1 day', now(), 'logout' FROM generate_series(1, $2)
       RETURNING id`,
      [userId, count],
    );
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

/** On a database that outlives the run, the bench user and its sessions (by cascade) go. */
function forgetUserAtTheEnd(databaseUrl, userId) {
  undoSteps.push(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('DELETE FROM users WHERE id = $1', [userId]);
    } finally {
      await client.end();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The checks before measuring

/**
 * Proves that the revocation list is consulted: a token signed here for a revoked session must
 * get 401. The same recipe with the live session's id must get 200, otherwise the 401 could come
 * from the recipe (a wrong claim or header) and would prove nothing. The `kid` is copied from the
 * login's token because the server refuses a token that names no key before looking further.
 */
async function proveRevocationIsChecked(base, jwtSecret, login, revokedSessionId) {
  const { kid } = decodeJwtPart(login.accessToken, 0);
  const { sid: liveSessionId } = decodeJwtPart(login.accessToken, 1);
  const key = new TextEncoder().encode(jwtSecret);
  const sign = (sessionId) =>
    new SignJWT({ role: 'user', sid: sessionId, jti: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
      .setSubject(login.user.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setIssuer('gatehouse')
      .setAudience('gatehouse')
      .sign(key);

  const checks = [
    { what: "the login's access token", token: login.accessToken, status: 200 },
    { what: 'a token signed here for the live session', token: await sign(liveSessionId), status: 200 },
    { what: 'a token signed here for a revoked session', token: await sign(revokedSessionId), status: 401 },
  ];
  for (const check of checks) {
    const response = await request(base, '/auth/me', { headers: { authorization: `Bearer ${check.token}` } });
    await response.arrayBuffer();
    if (response.status !== check.status) {
      throw new Error(`revocation check: GET /auth/me with ${check.what} answered ${response.status}, expected ${check.status}`);
    }
  }
}

/** Every target must answer 200 (and, on /auth/me, through the credential it is meant to use). */
async function preflight(targets) {
  for (const target of targets) {
    const response = await request(target.base, target.path, { headers: target.headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${target.name} answered ${response.status}: ${text}`);
    if (target.via && JSON.parse(text).via !== target.via) throw new Error(`${target.name} authenticated as ${text}, expected via ${target.via}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Targets. Built from the sign-in results; to measure another route or credential, add an entry.
// `goal` is the least acceptable median, over the rounds, of its req/s against bare Nest's in the
// same round.

async function signInAndBuildTargets(base, account, login) {
  const hybrid = await postJson(base, '/auth/login', { ...account, transport: 'cookie' }, 200);
  const session = await postJson(base, '/auth/session/login', account, 200);
  const cookie = (result, name) => {
    const found = result.cookies.find((pair) => pair.startsWith(`${name}=`));
    if (!found) throw new Error(`no ${name} cookie was set (got: ${result.cookies.join(', ') || 'none'})`);
    return found;
  };
  return [
    { name: 'GET / (unguarded)', base, path: '/', headers: {}, goal: 0.8 },
    { name: 'GET /auth/me, Bearer', base, path: '/auth/me', headers: { authorization: `Bearer ${login.accessToken}` }, via: 'bearer', goal: 0.75 },
    { name: 'GET /auth/me, access_token cookie', base, path: '/auth/me', headers: { cookie: cookie(hybrid, 'access_token') }, via: 'cookie-jwt', goal: 0.6 },
    { name: 'GET /auth/me, sid cookie', base, path: '/auth/me', headers: { cookie: cookie(session, 'sid') }, via: 'session', goal: 0.6 },
  ];
}

// ---------------------------------------------------------------------------------------------
// Load generators: both return { rps, p99 (ms) } and throw unless every response was 2xx.

const execFileAsync = promisify(execFile);

async function describeWrk() {
  // Some builds exit 1 after printing the version: the text is what matters.
  const output = await execFileAsync('wrk', ['-v']).then(({ stdout }) => stdout, (error) => error.stdout ?? '');
  return /^wrk \S+/.exec(output)?.[0] ?? 'wrk';
}

/** wrk as `placement` says: on the cores the servers leave to it (one thread each), or anywhere. */
function wrkRunner(placement) {
  return async (url, headers, seconds) => {
    const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const args = [`-t${placement.loadCores.length}`, `-c${SETTINGS.connections}`, `-d${seconds}s`, '--latency', ...headerArgs, url];
    const [command, commandArgs] = placement.pinned ? ['taskset', ['-c', placement.loadCores.join(','), 'wrk', ...args]] : ['wrk', args];
    const { stdout } = await execFileAsync(command, commandArgs, { signal: aborted.signal, timeout: (seconds + 30) * 1000 });
    return parseWrk(stdout, url);
  };
}

function parseWrk(output, url) {
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  if (non2xx) throw new Error(`${non2xx[1]} non-2xx answers from ${url}`);
  const socketErrors = /Socket errors:\s*(.+)/.exec(output);
  if (socketErrors) throw new Error(`socket errors against ${url}: ${socketErrors[1]}`);
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output);
  if (!rps || !p99) throw new Error(`unexpected wrk output:\n${output}`);
  const toMs = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[p99[2]];
  return { rps: Number(rps[1]), p99: Number(p99[1]) * toMs };
}

async function runAutocannon(url, headers, seconds) {
  const instance = autocannon({ url, headers, connections: SETTINGS.connections, duration: seconds });
  const stop = () => instance.stop();
  aborted.signal.addEventListener('abort', stop, { once: true });
  try {
    const result = await instance;
    if (aborted.signal.aborted) throw new Error('interrupted');
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors and ${result.timeouts} timeouts from ${url}`);
    }
    return { rps: result.requests.average, p99: result.latency.p99 };
  } finally {
    aborted.signal.removeEventListener('abort', stop);
  }
}

/**
 * Where the throughput rounds run. Pinned (the default, where taskset exists and there are two
 * cores or more): the server being measured gets core 0 to itself, and wrk the other cores. On a
 * small machine an unpinned wrk takes its CPU from the very server it measures, and the more CPU
 * a server needs per request the more wrk's threads get in its way (and the more often its
 * writes wake a sleeping wrk thread on the other core): the ratios then measure the scheduler as
 * much as the pipeline. Pinned, req/s is one core's worth of the server's own work per request,
 * which is what the ratios are meant to compare. The logins run unpinned: bcrypt uses every core.
 */
async function choosePlacement() {
  const cores = cpus().length;
  if (!SETTINGS.pin) return { pinned: false, loadCores: [0, 1].slice(0, Math.max(1, Math.min(2, cores))), label: 'unpinned (BENCH_PIN=0)' };
  if (cores < 2 || !(await isOnPath('taskset'))) {
    return { pinned: false, loadCores: [0], label: `unpinned (${cores < 2 ? 'one core' : 'no taskset'})` };
  }
  const loadCores = Array.from({ length: cores - 1 }, (_, i) => i + 1);
  return { pinned: true, loadCores, label: `servers on core 0, wrk on core${loadCores.length > 1 ? 's' : ''} ${loadCores.join(',')}` };
}

/** Moves every thread of a running process onto `cores` (taskset -a: the thread pool and GC threads too). */
async function placeProcess(pid, cores) {
  await execFileAsync('taskset', ['-a', '-p', '-c', cores.join(','), String(pid)], { signal: aborted.signal });
}

async function chooseLoadGenerator() {
  // wrk (apt-get install wrk) loads the server with less CPU of its own; autocannon (a dev
  // dependency) is the fall-back.
  if (await isOnPath('wrk')) {
    const placement = await choosePlacement();
    return { label: `${await describeWrk()}, ${placement.label}`, run: wrkRunner(placement), placement };
  }
  return { label: 'autocannon, unpinned', run: runAutocannon, placement: { pinned: false } };
}


// ---------------------------------------------------------------------------------------------
// Logins: their rate against bcrypt's own bound, and what a login flood does to other requests

/** bcrypt.compare per second on this machine at the run's cost, in a separate process. */
async function measureBcryptBound(seconds) {
  const inherited = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((key) => process.env[key] !== undefined);
  const args = ['scripts/bench-baselines.mjs', 'bcrypt', SETTINGS.bcryptCost, SETTINGS.loginConcurrency, seconds, SETTINGS.warmupSeconds].map(String);
  const { stdout } = await execFileAsync(process.execPath, args, {
    cwd: ROOT,
    // Sized as the server's pool (src/thread-pool.cts); only the parent can set it in time.
    env: { ...Object.fromEntries(inherited.map((key) => [key, process.env[key]])), UV_THREADPOOL_SIZE: String(cpus().length) },
    signal: aborted.signal,
    timeout: (seconds + 30) * 1000,
  });
  return JSON.parse(stdout);
}

/**
 * Successful logins per second with SETTINGS.loginConcurrency clients signing in back to back:
 * the logins that finish between the warm-up's end and the flood's end, over that window. A
 * closed loop stopped at a set time leaves its last logins half hashed, and its first ones wait
 * for the pool to fill: counted over the whole run, both would be charged to the server at a
 * high cost. bcrypt's bound is measured over the same kind of window.
 */
async function loginFlood(base, account, seconds) {
  const warmupMs = SETTINGS.warmupSeconds * 1000;
  const instance = autocannon({
    url: `${base}/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
    connections: SETTINGS.loginConcurrency,
    duration: seconds,
  });
  const started = performance.now();
  let inWindow = 0;
  instance.on('response', (_client, statusCode) => {
    const at = performance.now() - started;
    if (statusCode === 200 && at >= warmupMs && at < seconds * 1000) inWindow += 1;
  });
  const stop = () => instance.stop();
  aborted.signal.addEventListener('abort', stop, { once: true });
  try {
    const result = await instance;
    if (aborted.signal.aborted) throw new Error('interrupted');
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`login flood: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
    }
    return inWindow / (seconds - SETTINGS.warmupSeconds);
  } finally {
    aborted.signal.removeEventListener('abort', stop);
  }
}

/**
 * /auth/me at a steady rate (open loop: requests leave on schedule whether or not earlier ones
 * have answered), timed to the microsecond; resolves to the p99 in ms.
 */
async function probeLatency(base, path, headers, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: SETTINGS.probeConnections });
  const url = new URL(path, base);
  const latencies = [];
  const one = () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const call = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers, agent }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new Error(`probe of ${path} answered ${response.statusCode}`));
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      call.setTimeout(SETTINGS.requestTimeoutMs, () => call.destroy(new Error(`probe of ${path} timed out`)));
      call.on('error', reject).end();
    });
  const pending = [];
  const interval = 1000 / SETTINGS.probeRate;
  const started = performance.now();
  try {
    for (let i = 0; i < seconds * SETTINGS.probeRate && !aborted.signal.aborted; i += 1) {
      const wait = started + i * interval - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(one());
    }
    await Promise.all(pending);
  } finally {
    agent.destroy();
  }
  if (aborted.signal.aborted) throw new Error('interrupted');
  const sorted = latencies.sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

/**
 * Interleaved rounds of: bcrypt's bound, /auth/me at rest, a login flood, /auth/me during another.
 *
 * Two references are probed right after Gatehouse's /auth/me, at rest and in the same flood, and
 * reported beside the goal: a twin of the server (the same build, database and token) that takes
 * no logins, and raw node:http. Neither does any login work, so their p99s in the flood show what
 * the flood does to the machine (every core busy hashing, PostgreSQL, the load generator), apart
 * from what the logins on the server's own event loop add; the twin shows it for Gatehouse's own
 * request path, which is longer than raw node:http's and so feels a busy machine more.
 */
async function measureLogins(base, account, meHeaders, references) {
  const seconds = SETTINGS.loginSeconds;
  const probed = [{ key: 'server', base, path: '/auth/me', headers: meHeaders }, ...references];
  const samples = { bound: [], logins: [], threads: 0, idle: new Map(), flood: new Map() };
  for (const { key } of probed) [samples.idle, samples.flood].forEach((map) => map.set(key, []));
  const probe = (target, probeSeconds = seconds) => probeLatency(target.base, target.path, target.headers, probeSeconds);
  await loginFlood(base, account, SETTINGS.warmupSeconds + 1);
  for (const target of probed) await probe(target, SETTINGS.warmupSeconds);
  const steps = [
    async () => {
      const { rate, threads } = await measureBcryptBound(seconds);
      samples.bound.push(rate);
      samples.threads = threads;
    },
    async () => {
      for (const target of probed) samples.idle.get(target.key).push(await probe(target));
    },
    // The login rate is measured in a flood of its own: the probe's requests (and the CPU this
    // process spends sending them) would otherwise be counted against the logins.
    async () => samples.logins.push(await loginFlood(base, account, seconds)),
    async () => {
      // One probe after another; they start once the flood has filled the pool and stop before
      // the flood does.
      const [, ...p99s] = await Promise.all([
        loginFlood(base, account, probed.length * seconds + 1),
        ...probed.map((target, i) => sleep(500 + i * seconds * 1000).then(() => probe(target))),
      ]);
      probed.forEach(({ key }, i) => samples.flood.get(key).push(p99s[i]));
    },
  ];
  for (let round = 0; round < SETTINGS.loginRounds; round += 1) {
    for (let i = 0; i < steps.length; i += 1) await steps[(i + round) % steps.length]();
    const p99s = probed.map(({ key }) => `${key} ${samples.idle.get(key).at(-1).toFixed(2)} / ${samples.flood.get(key).at(-1).toFixed(2)}`);
    log(
      `login round ${round + 1}/${SETTINGS.loginRounds}: bcrypt ${samples.bound.at(-1).toFixed(1)}/s, ` +
        `logins ${samples.logins.at(-1).toFixed(1)}/s; p99 ms at rest / in the flood: ${p99s.join(', ')}`,
    );
  }
  const p99 = (key) => ({ idle: median(samples.idle.get(key)), flood: median(samples.flood.get(key)) });
  return {
    threads: samples.threads,
    bound: median(samples.bound),
    logins: median(samples.logins),
    p99: Object.fromEntries(probed.map(({ key }) => [key, p99(key)])),
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring and reporting

/**
 * Rounds in which every target runs once. Each round starts one target further along, so that no
 * target always runs right after the same neighbour.
 *
 * Each round also starts every server afresh (`servers.renew()`) and warms each target up again
 * (BENCH_FRESH=0: one warm-up, the same processes throughout). The same code in two processes can
 * run at speeds a quarter apart for as long as they live. Seen on this machine, against one bare
 * Nest process in 1 s windows alternating with it (so the machine's drift cancels out): of four
 * more started together, two were 32–35 % slower from the start and three after a few minutes of
 * load; a profile of a slow one put the difference in creating process.nextTick()'s queue entries.
 * Another time, a bare Nest process that had served for an hour was 19 % slower than a new one.
 * It does not happen every time (twelve processes started later all ran alike). With one process
 * per server, a whole run rode on how each server's process happened to turn out; with new ones
 * every round, each round draws again, and the median looks past the unlucky draws of every
 * server, Gatehouse's and the baselines' alike.
 *
 * The ratios are taken within each round (a target's req/s against bare Nest's in the same
 * round, at most some fifteen seconds apart) and their median reported: the machine's speed
 * drifts over minutes (a neighbour's load), and a ratio of medians would set one target's
 * undisturbed rounds against another's disturbed ones.
 */
async function measureAll(targets, tool, servers) {
  const warmUp = async () => {
    for (const target of targets) await tool.run(`${target.base}${target.path}`, target.headers, SETTINGS.warmupSeconds);
  };
  if (!SETTINGS.fresh) {
    await servers.pin();
    await warmUp();
  }
  const samples = new Map(targets.map((target) => [target, []]));
  for (let round = 0; round < SETTINGS.rounds; round += 1) {
    if (SETTINGS.fresh) {
      await servers.renew();
      await warmUp();
    }
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    for (const target of order) samples.get(target).push(await tool.run(`${target.base}${target.path}`, target.headers, SETTINGS.seconds));
    const summary = targets.map((target) => `${samples.get(target).at(-1).rps.toFixed(0)}`).join(' / ');
    log(`round ${round + 1}/${SETTINGS.rounds}: req/s ${summary}`);
  }
  const perRound = (target, baseline) => {
    const reference = samples.get(targets.find((candidate) => candidate.baseline === baseline));
    return median(samples.get(target).map((sample, round) => sample.rps / reference[round].rps));
  };
  return targets.map((target) => ({
    target,
    rps: median(samples.get(target).map((sample) => sample.rps)),
    p99: median(samples.get(target).map((sample) => sample.p99)),
    toBare: perRound(target, 'bare'),
    toRaw: perRound(target, 'raw'),
  }));
}

function report(results, logins, tool) {
  const verdict = (pass) => (pass ? 'PASS' : 'BELOW');
  const lines = [
    '',
    'Gatehouse pipeline benchmark',
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
    `tool:    ${tool.label}, ${SETTINGS.connections} connections, ${SETTINGS.warmupSeconds} s warm-up, ` +
      `${SETTINGS.rounds} interleaved rounds of ${SETTINGS.seconds} s per target, ` +
      `${SETTINGS.fresh ? 'new server processes every round' : 'one process per server (BENCH_FRESH=0)'}`,
    `ratios:  each round's req/s against bare Nest's (raw node:http's) in the same round; medians over the rounds`,
    `list:    ${SETTINGS.revokedSessions} revoked sessions loaded at start-up; a token of one of them is refused (401)`,
    '',
    `${'target'.padEnd(36)}${'req/s'.padStart(8)}${'p99 ms'.padStart(9)}${'× bare'.padStart(8)}${'× raw'.padStart(7)}   goal (× bare)`,
  ];
  for (const { target, rps, p99, toBare, toRaw } of results) {
    const goal = target.goal === undefined ? '' : `>= ${target.goal} ${verdict(toBare >= target.goal)}`;
    lines.push(
      `${target.name.padEnd(36)}${rps.toFixed(0).padStart(8)}${p99.toFixed(1).padStart(9)}` +
        `${toBare.toFixed(3).padStart(8)}${toRaw.toFixed(3).padStart(7)}   ${goal}`,
    );
  }
  if (logins === null) return console.log(lines.join('\n'));
  const loginRatio = logins.logins / logins.bound;
  const { server, twin, raw } = logins.p99;
  const p99Ratio = server.flood / server.idle;
  const p99Line = (label, { idle, flood }, tail) =>
    `${label.padEnd(44)}${idle.toFixed(2).padStart(8)}${flood.toFixed(2).padStart(8)}   ${(flood / idle).toFixed(2)} × at rest   ${tail}`;
  lines.push(
    '',
    `logins:  bcrypt cost ${SETTINGS.bcryptCost}, ${SETTINGS.loginConcurrency} concurrent, thread pool of ${logins.threads}, ` +
      `${SETTINGS.loginRounds} interleaved rounds of ${SETTINGS.loginSeconds} s (rates after a ${SETTINGS.warmupSeconds} s warm-up), medians`,
    `${'bcrypt bound (compare/s, own process)'.padEnd(44)}${logins.bound.toFixed(1).padStart(8)}`,
    `${'POST /auth/login (logins/s)'.padEnd(44)}${logins.logins.toFixed(1).padStart(8)}   ` +
      `${loginRatio.toFixed(2)} × bound   goal >= 0.9 ${verdict(loginRatio >= 0.9)}`,
    `${`p99 at ${SETTINGS.probeRate} req/s (ms)`.padEnd(44)}${'at rest'.padStart(8)}${'flood'.padStart(8)}`,
    p99Line('/auth/me on the server taking the logins', server, `goal <= 3 ${verdict(p99Ratio <= 3)}`),
    p99Line('/auth/me on a twin that takes none', twin, '(reference, no goal)'),
    p99Line('raw node:http', raw, '(reference, no goal)'),
  );
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const deadline = setTimeout(() => {
    log(`bench: still running after ${SETTINGS.deadlineMs / 1000} s; giving up`);
    void cleanup().finally(() => process.exit(1));
  }, SETTINGS.deadlineMs);
  deadline.unref();

  try {
    await access(join(ROOT, 'dist/src/main.js')).catch(() => {
      throw new Error('dist/src/main.js is missing: run `npm run build` first (`npm run bench` does)');
    });
    const tool = await chooseLoadGenerator();
    const database = await provideDatabase();
    const jwtSecret = randomBytes(48).toString('base64url');
    const env = serverEnvironment({ port: await freeLoopbackPort(), databaseUrl: database.url, jwtSecret });
    let server = await startServer(env);
    const [rawPort, barePort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    let [raw, bare] = [await startBaseline('raw', rawPort), await startBaseline('bare', barePort)];
    const baselines = [
      { name: 'raw node:http', base: raw.base, path: '/', headers: {}, baseline: 'raw' },
      { name: 'bare Nest on Fastify', base: bare.base, path: '/', headers: {}, baseline: 'bare' },
    ];

    const account = { email: `bench-${randomUUID()}@example.com`, password: randomBytes(18).toString('base64url') };
    const registered = await postJson(server.base, '/auth/register', { ...account, name: 'Bench' }, 201);
    if (database.external) forgetUserAtTheEnd(database.url, registered.body.user.id);
    const { body: login } = await postJson(server.base, '/auth/login', account, 200);

    log(`inserting ${SETTINGS.revokedSessions} revoked sessions, then restarting the server to load them`);
    const revokedIds = await insertRevokedSessions(database.url, login.user.id, SETTINGS.revokedSessions);
    await server.stop();
    server = await startServer(env);
    await proveRevocationIsChecked(server.base, jwtSecret, login, revokedIds[revokedIds.length >> 1]);

    // BENCH_TARGETS=<regular expression> measures only the matching targets (for profiling).
    const only = process.env.BENCH_TARGETS ? new RegExp(process.env.BENCH_TARGETS, 'i') : null;
    const targets = [...baselines, ...(await signInAndBuildTargets(server.base, account, login))].filter(
      (target) => target.baseline || only === null || only.test(target.name),
    );
    await preflight(targets);
    log(`measuring with ${tool.label}`);
    const allCores = cpus().map((_, i) => i);
    const servers = {
      pin: async () => {
        if (tool.placement.pinned) for (const { pid } of [raw, bare, server]) await placeProcess(pid, [0]);
      },
      // New processes on the same ports, so the targets stay as they are; the sign-ins live in
      // the database and the revocation list is loaded again at start-up.
      renew: async () => {
        await Promise.all([raw.stop(), bare.stop(), server.stop()]);
        [raw, bare, server] = [await startBaseline('raw', rawPort), await startBaseline('bare', barePort), await startServer(env)];
        await servers.pin();
      },
    };
    const results = await measureAll(targets, tool, servers);
    // BENCH_LOGINS=0 leaves the login measurement out.
    const measureLoginsToo = process.env.BENCH_LOGINS !== '0';
    if (tool.placement.pinned) for (const { pid } of [raw, server]) await placeProcess(pid, allCores);
    // The twin: the same build on the same database (so the same token is good on it), for the
    // login measurement's reference probes; started now, so it never shares a throughput round.
    const twin = measureLoginsToo ? await startServer({ ...env, PORT: String(await freeLoopbackPort()) }) : null;
    let logins = null;
    if (measureLoginsToo) {
      log(`measuring logins at bcrypt cost ${SETTINGS.bcryptCost}`);
      const meHeaders = { authorization: `Bearer ${login.accessToken}` };
      logins = await measureLogins(server.base, account, meHeaders, [
        { key: 'twin', base: twin.base, path: '/auth/me', headers: meHeaders },
        { key: 'raw', base: raw.base, path: '/', headers: {} },
      ]);
    }
    report(results, logins, tool);
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

main().catch((error) => {
  log(`bench failed: ${error.message}`);
  process.exitCode = 1;
});
