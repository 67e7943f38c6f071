import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp, type Options } from 'pino-http';
import type { AppConfig } from '../config/app.config.js';
import { loggerOptions } from './logging.js';

describe('request logging', () => {
  it('logs every route but health probes, and redacts credentials', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const options = loggerOptions({ logLevel: 'info' } as AppConfig);
    expect(options.forRoutes).toEqual([expect.objectContaining({ path: '{*path}' })]);
    const log = pinoHttp(options.pinoHttp as Options, sink);
    const server = createServer((req, res) => {
      log(req, res);
      res.setHeader('set-cookie', 'sid=secret-session-id');
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<void>((resolve, reject) =>
        request({ port, path, headers }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end(),
      );
    await get('/auth/me', { authorization: 'Bearer eyJ.secret.token', cookie: 'sid=secret-session-id', 'x-csrf-token': 'csrf-secret' });
    await get('/health?probe=1');
    server.close();
    expect(lines).toHaveLength(1);
    const line = lines.join('');
    expect(line).toContain('"url":"/auth/me"');
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/eyJ\.secret|secret-session-id|csrf-secret/);
  });
});
