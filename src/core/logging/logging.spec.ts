import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Level } from 'pino';
import { createLogger } from './logging.js';
import { PinoNestLogger } from './pino-nest-logger.js';
import { registerRequestLog } from './request-log.js';

/** A logger whose lines land in an array, and a Fastify app logging its requests through it. */
async function loggedApp(level: Level | 'silent') {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      raw.push(String(chunk));
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(level, sink);
  const app: FastifyInstance = Fastify();
  registerRequestLog(app, logger);
  app.get('/auth/sessions/:id', async (request, reply) => {
    (request as { user?: unknown }).user = { userId: 'user-1', sessionId: 'session-1' };
    reply.header('set-cookie', 'sid=secret-session-id');
    return { ok: true };
  });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<void>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path, headers }, (response) => {
        response.resume();
        // The line is written once the response has finished, after the client saw its end.
        response.on('end', () => setImmediate(resolve));
      })
        .on('error', reject)
        .end(),
    );
  return { app, get, logger, lines, raw };
}

const secrets = { authorization: 'Bearer eyJ.secret.token', cookie: 'sid=secret-session-id', 'x-csrf-token': 'csrf-secret' };

describe('request logging', () => {
  it('writes one line per request with the route pattern, status, duration, request id and user, and no credential', async () => {
    const { app, get, lines, raw } = await loggedApp('info');
    await get('/auth/sessions/0b6f?access_token=query-secret', secrets);
    await get('/nowhere?token=query-secret');
    await get('/boom');
    await app.close();

    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request completed', method: 'GET', route: '/auth/sessions/:id', status: 200, userId: 'user-1' });
    expect(lines[0].reqId).toEqual(expect.any(String));
    expect(lines[0].ms).toEqual(expect.any(Number));
    expect(lines[1]).toMatchObject({ route: '/nowhere', status: 404 });
    expect(lines[1]).not.toHaveProperty('userId');
    expect(lines[2]).toMatchObject({ level: 50, route: '/boom', status: 500 });
    expect(raw.join('')).not.toMatch(/eyJ\.secret|secret-session-id|csrf-secret|query-secret/);
  });

  it('leaves health probes out', async () => {
    const { app, get, lines } = await loggedApp('info');
    await get('/health?probe=1');
    await get('/health');
    await app.close();
    expect(lines).toHaveLength(0);
  });

  it('writes nothing below its level', async () => {
    const { app, get, lines } = await loggedApp('warn');
    await get('/auth/sessions/1');
    await app.close();
    expect(lines).toHaveLength(0);
  });

  it('redacts passwords, tokens and credential headers in anything logged', async () => {
    const { app, logger, raw } = await loggedApp('info');
    logger.info({ password: 'hunter4', refreshToken: 'rt-top-secret' }, 'top level');
    logger.info({
      body: { email: 'a@example.com', password: 'hunter2', newPassword: 'hunter3' },
      tokens: { accessToken: 'at-secret', refreshToken: 'rt-secret', csrfToken: 'csrf-secret' },
      req: { headers: secrets },
      headers: secrets,
    });
    await app.close();
    const line = raw.join('');
    expect(line).toContain('a@example.com');
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/hunter|at-secret|rt-secret|rt-top-secret|csrf-secret|eyJ\.secret|secret-session-id/);
  });

  it("carries Nest's own messages, with their context, at LOG_LEVEL", async () => {
    const { app, logger, lines } = await loggedApp('info');
    await app.close();
    const nest = new PinoNestLogger(logger);
    Logger.overrideLogger(nest);
    try {
      new Logger('Bootstrap').log('listening');
      new Logger('Store').error('could not save', 'Error: could not save\n    at somewhere');
      new Logger('Store').debug('not at info');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, context: 'Bootstrap', msg: 'listening' }),
      expect.objectContaining({ level: 50, context: 'Store', msg: 'could not save', stack: expect.stringContaining('at somewhere') }),
    ]);
  });
});
