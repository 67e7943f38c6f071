import { availableParallelism } from 'node:os';

/**
 * bcrypt hashes on libuv's thread pool. Its default of 4 threads is wrong both ways: on a larger
 * machine logins queue behind 4 threads while cores idle; on a smaller one the threads outnumber
 * the cores and starve the event loop, so every other request waits behind password hashing.
 * One thread per core. libuv reads the variable once, when the pool first starts, so this module
 * is main.ts's first import; an explicit UV_THREADPOOL_SIZE is left as the operator set it.
 */
process.env.UV_THREADPOOL_SIZE ??= String(availableParallelism());
