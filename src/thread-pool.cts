import { randomFill } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';

/** How much the pool's threads give way to the event loop (nice value; 0 is the default). */
const POOL_NICENESS = 10;

/**
 * Preloaded before the server: `node --require ./dist/src/thread-pool.cjs dist/src/main.js` (what
 * `npm start` runs).
 *
 * bcrypt hashes on libuv's thread pool. Its default of 4 threads is wrong both ways: on a larger
 * machine logins queue behind 4 threads while cores idle; on a smaller one the threads outnumber
 * the cores. One thread per core. libuv reads the variable once, when the pool first starts, and
 * Node's ESM loader starts it (reading the entry module's files) before any module of the app is
 * evaluated, so no import can set it in time: hence a CommonJS file loaded with --require. An
 * explicit UV_THREADPOOL_SIZE is left as the operator set it.
 *
 * A login flood then keeps every core busy hashing, and every other request (a token check that
 * takes microseconds) would wait for a time slice behind bcrypt. On Linux the pool's threads are
 * given a lower scheduling priority than the event loop: hashing still gets all the CPU nobody
 * else wants, but /auth/me answers at once during a flood. libuv starts all its threads inside
 * the first call that uses the pool, so the threads that appear across that call are the pool.
 */
process.env.UV_THREADPOOL_SIZE ??= String(availableParallelism());
lowerPoolPriority();

function lowerPoolPriority(): void {
  const threads = (): Set<string> | null => {
    try {
      return new Set(readdirSync('/proc/self/task'));
    } catch {
      return null; // not Linux: the pool keeps the default priority
    }
  };
  const before = threads();
  randomFill(new Uint8Array(1), () => undefined);
  const after = threads();
  if (before === null || after === null) return;
  for (const thread of after) {
    if (before.has(thread)) continue;
    try {
      setPriority(Number(thread), POOL_NICENESS);
    } catch {
      // Not permitted here (a restricted container): the pool keeps the default priority.
    }
  }
}
