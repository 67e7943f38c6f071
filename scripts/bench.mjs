// `npm run bench`: how much the guard costs. Starts the built server on a loopback port and
// measures, in one run, the unguarded `GET /` against `GET /auth/me` with each credential
// (Bearer token, JWT-in-cookie, `sid` session cookie), with a few thousand revoked sessions in
// the revocation list. Short interleaved rounds, medians reported: this machine is noisy.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import pg from 'pg';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 50;
const REVOKED_SESSIONS = 5000;
const TARGETS = { bearer: 0.9, 'cookie-jwt': 0.9, session: 0.8 };

const cleanups = [];
const cleanup = async () => {
  while (cleanups.length > 0) await cleanups.pop()().catch(() => undefined);
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

function freePort() {
  return new Promise((resolve, reject) => {
    import('node:net').then(({ createServer }) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
  });
}

async function startServer(env) {
  const child = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if ((await Promise.race([exited, sleep(5000, 'timeout')])) === 'timeout') child.kill('SIGKILL');
  };
  cleanups.push(stop);
  const base = `http://127.0.0.1:${env.PORT}`;
  for (const started = Date.now(); Date.now() - started < 30_000; await sleep(100)) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    if (await fetch(`${base}/`).then((r) => r.ok, () => false)) return { base, stop };
  }
  throw new Error('server did not answer GET / within 30 s');
}

async function json(base, path, body, headers = {}) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return { body: await response.json(), cookies: response.headers.getSetCookie().map((line) => line.split(';')[0]) };
}

/** Requests/s and p99 of one target for SECONDS, with wrk when installed, else autocannon. */
async function measure(tool, url, headers) {
  if (tool === 'wrk') {
    const args = ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
    const out = execFileSync('wrk', args, { encoding: 'utf8' });
    if (/Non-2xx/.test(out)) throw new Error(`non-2xx answers from ${url}`);
    const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
    const factor = { us: 0.001, ms: 1, s: 1000 }[p99[2]];
    return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), p99: Number(p99[1]) * factor };
  }
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors from ${url}`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const secret = randomBytes(48).toString('base64url');
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const { startEmbeddedPostgres } = await import('../dist/src/database/embedded-postgres.js');
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-bench-pg-'));
    const database = await startEmbeddedPostgres(dir);
    cleanups.push(() => rm(dir, { recursive: true, force: true }), () => database.stop());
    databaseUrl = database.url;
  }
  const port = await freePort();
  const env = { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, JWT_SECRET: secret, LOG_LEVEL: 'warn', BCRYPT_COST: '4', NODE_ENV: 'development', RATE_LIMIT_AUTH: '100000' };
  let server = await startServer(env);

  const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery staple';
  await json(server.base, '/auth/register', { email, password });
  const { body: tokens } = await json(server.base, '/auth/login', { email, password });

  // A few thousand revoked sessions, loaded by the server at start-up like after any restart.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const revoked = await client.query(
    `INSERT INTO sessions (user_id, kind, expires_at, revoked_at, revoked_reason)
     SELECT $1, 'token', now() + interval '1 day', now(), 'logout' FROM generate_series(1, $2) RETURNING id`,
    [tokens.user.id, REVOKED_SESSIONS],
  );
  await client.end();
  await server.stop();
  server = await startServer(env);

  const { cookies: hybridCookies } = await json(server.base, '/auth/login', { email, password, transport: 'cookie' });
  const { cookies: sessionCookies } = await json(server.base, '/auth/session/login', { email, password });
  const targets = [
    { name: 'unguarded', path: '/', headers: {} },
    { name: 'bearer', path: '/auth/me', headers: { authorization: `Bearer ${tokens.accessToken}` } },
    { name: 'cookie-jwt', path: '/auth/me', headers: { cookie: hybridCookies.find((c) => c.startsWith('access_token=')) } },
    { name: 'session', path: '/auth/me', headers: { cookie: sessionCookies.find((c) => c.startsWith('sid=')) } },
  ];

  // The revocation check must be live: a token for a revoked session is refused.
  const kid = JSON.parse(Buffer.from(tokens.accessToken.split('.')[0], 'base64url')).kid;
  const forged = await new SignJWT({ role: 'user', sid: revoked.rows[0].id, jti: randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
    .setSubject(tokens.user.id).setIssuer('gatehouse').setAudience('gatehouse').setIssuedAt().setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
  const refused = await fetch(`${server.base}/auth/me`, { headers: { authorization: `Bearer ${forged}` } });
  if (refused.status !== 401) throw new Error(`a token of a revoked session answered ${refused.status}`);
  for (const target of targets) {
    const response = await fetch(`${server.base}${target.path}`, { headers: target.headers });
    if (response.status !== 200) throw new Error(`${target.name} answered ${response.status}`);
  }

  const tool = (() => {
    try {
      execFileSync('wrk', ['--version'], { stdio: 'ignore' });
      return 'wrk';
    } catch (error) {
      return error.code === 'ENOENT' ? 'autocannon' : 'wrk';
    }
  })();
  for (const target of targets) await measure(tool, `${server.base}${target.path}`, target.headers); // warm-up
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const target of targets) samples[target.name].push(await measure(tool, `${server.base}${target.path}`, target.headers));
    process.stderr.write(`round ${round}/${ROUNDS} done\n`);
  }

  const baseline = median(samples.unguarded.map((s) => s.rps));
  console.log(`\nGatehouse guard benchmark — ${cpus()[0].model}, ${cpus().length} cores, Node ${process.version}`);
  console.log(`tool: ${tool}, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s per target, medians; ${REVOKED_SESSIONS} revoked sessions in the list\n`);
  console.log('target                         req/s     p99 ms   ratio to GET /');
  for (const target of targets) {
    const rps = median(samples[target.name].map((s) => s.rps));
    const p99 = median(samples[target.name].map((s) => s.p99));
    const ratio = rps / baseline;
    const goal = TARGETS[target.name];
    const verdict = goal === undefined ? '' : `${ratio >= goal ? 'PASS' : 'BELOW'} (target >= ${goal})`;
    const label = target.name === 'unguarded' ? 'GET / (unguarded)' : `GET /auth/me (${target.name})`;
    console.log(`${label.padEnd(28)} ${rps.toFixed(0).padStart(8)} ${p99.toFixed(1).padStart(10)}   ${ratio.toFixed(2)} ${verdict}`);
  }
}

main()
  .catch((error) => {
    console.error(`bench failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
