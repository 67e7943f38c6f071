import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, startEmbeddedPostgres } from '../../src/core/database/embedded-postgres.js';

/**
 * The fault suite's own dependencies: a PostgreSQL and a redis-server on free loopback ports in
 * temporary directories, so that stopping, slowing and cutting them never touches the machine's
 * shared services or the other test files' database.
 */
export interface OwnPostgres {
  url: string;
  port: number;
  dataDir: string;
  /** The URL with its port replaced (to go through a proxy). */
  via(port: number): string;
  stop(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-faults-pg-'));
  const database = await startEmbeddedPostgres(dataDir);
  const port = Number(new URL(database.url).port);
  return {
    url: database.url,
    port,
    dataDir,
    via: (proxyPort) => {
      const url = new URL(database.url);
      url.port = String(proxyPort);
      return url.toString();
    },
    stop: async () => {
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface OwnRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freeLoopbackPort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitForPort(port, 10_000, child);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopChild(child, 5000),
  };
}

async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`process exited with ${child.exitCode} before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() - started > timeoutMs) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then SIGKILL if the process has not exited in time. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** The proxy's port towards the server: PostgreSQL reports it as `client_port`. */
  upstreamPort?: number;
  frozen: boolean;
  held: Array<() => void>;
}

/**
 * A TCP proxy between the app and a dependency, for faults the dependency itself cannot show:
 * added latency, a silent drop (bytes stop flowing, nothing is closed: a firewall or NAT losing
 * an idle connection), and an outage (every connection cut, new ones closed on arrival).
 * Held bytes are released in order when a connection thaws, as TCP retransmission would.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  port = 0;
  latencyMs = 0;
  private mode: 'forward' | 'blackhole' | 'refuse' = 'forward';

  constructor(private readonly upstreamPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Every connection, present and future, stops forwarding without closing. */
  blackhole(): void {
    this.mode = 'blackhole';
    for (const pair of this.pairs) pair.frozen = true;
  }

  /** The dependency is gone: every connection is cut, new ones are closed on arrival. */
  refuse(): void {
    this.mode = 'refuse';
    for (const pair of this.pairs) this.close(pair);
  }

  /** Back to normal: held bytes flow again. */
  restore(): void {
    this.mode = 'forward';
    for (const pair of this.pairs) this.thaw(pair);
  }

  /** Silently drops the one connection whose server-side port is `upstreamPort`. */
  freezeByUpstreamPort(upstreamPort: number): boolean {
    for (const pair of this.pairs) {
      if (pair.upstreamPort === upstreamPort) {
        pair.frozen = true;
        return true;
      }
    }
    return false;
  }

  get connections(): number {
    return this.pairs.size;
  }

  async stop(): Promise<void> {
    for (const pair of this.pairs) this.close(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    const pair: Pair = { client, upstream, frozen: this.mode === 'blackhole', held: [] };
    this.pairs.add(pair);
    upstream.on('connect', () => (pair.upstreamPort = upstream.localPort));
    client.on('data', (chunk) => this.relay(pair, () => upstream.write(chunk)));
    upstream.on('data', (chunk) => this.relay(pair, () => client.write(chunk)));
    // The app closing its side always reaches the server; the server's side is silent while frozen.
    client.on('close', () => this.close(pair));
    upstream.on('close', () => this.relay(pair, () => this.close(pair)));
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }

  private relay(pair: Pair, send: () => void): void {
    const deliver = this.latencyMs > 0 ? () => setTimeout(send, this.latencyMs) : send;
    if (pair.frozen) pair.held.push(deliver);
    else deliver();
  }

  private thaw(pair: Pair): void {
    pair.frozen = false;
    for (const deliver of pair.held.splice(0)) deliver();
  }

  private close(pair: Pair): void {
    this.pairs.delete(pair);
    pair.held.length = 0;
    pair.client.destroy();
    pair.upstream.destroy();
  }
}

/** Resolves with the time `work` took, in ms. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
