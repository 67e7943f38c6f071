// The reference points `npm run bench` measures Gatehouse against, each run as its own process
// by scripts/bench.mjs (never on its own):
//   node scripts/bench-baselines.mjs raw <port>     a raw node:http server
//   node scripts/bench-baselines.mjs bare <port>    a bare NestJS app on Fastify with one route
//   node scripts/bench-baselines.mjs bcrypt <cost> <concurrency> <seconds> <warm-up seconds>
//                                                   bcrypt.compare throughput on libuv's pool,
//                                                   sized as the server sizes it; prints JSON
// The servers answer GET / with the same body as Gatehouse's GET / and listen on 127.0.0.1 only.
import 'reflect-metadata';
import { createServer } from 'node:http';

const BODY = JSON.stringify({ name: 'gatehouse', version: '0.1.0', docs: '/docs' });
const [mode, ...args] = process.argv.slice(2);

if (mode === 'raw') {
  const length = Buffer.byteLength(BODY);
  createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
    response.end(BODY);
  }).listen(Number(args[0]), '127.0.0.1');
} else if (mode === 'bare') {
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  const about = JSON.parse(BODY);
  // Decorators applied by hand: this file is plain JavaScript.
  class BareController {
    index() {
      return about;
    }
  }
  Controller()(BareController);
  Get()(BareController.prototype, 'index', Object.getOwnPropertyDescriptor(BareController.prototype, 'index'));
  class BareModule {}
  Module({ controllers: [BareController] })(BareModule);
  const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: Number(args[0]), host: '127.0.0.1' });
} else if (mode === 'bcrypt') {
  // The pool was sized by the parent (UV_THREADPOOL_SIZE): an ESM module starts too late to.
  const { default: bcrypt } = await import('bcrypt');
  const [cost, concurrency, seconds, warmupSeconds] = args.map(Number);
  const hash = await bcrypt.hash('bench password', cost);
  await bcrypt.compare('bench password', hash);
  // The compares that finish inside [warm-up, end), over that window's length: the steady rate,
  // counted as the login flood's logins are.
  const from = performance.now() + warmupSeconds * 1000;
  const end = from + (seconds - warmupSeconds) * 1000;
  let compared = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await bcrypt.compare('bench password', hash);
      const now = performance.now();
      if (now >= from && now < end) compared += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stdout.write(`${JSON.stringify({ rate: compared / (seconds - warmupSeconds), threads: Number(process.env.UV_THREADPOOL_SIZE ?? 4) })}\n`);
} else {
  process.stderr.write('usage: bench-baselines.mjs raw|bare <port> | bcrypt <cost> <concurrency> <seconds> <warm-up seconds>\n');
  process.exit(2);
}
