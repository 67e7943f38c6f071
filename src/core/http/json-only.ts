import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/** Deeper than any request Gatehouse defines by far; deep enough nesting overflows class-transformer's stack. */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The nesting depth of a JSON text, counted on its bytes before it is parsed: a few thousand
 * levels fit in a small body and would otherwise reach the DTO transformation, which recurses.
 * UTF-8 continuation bytes never equal an ASCII delimiter, so a byte scan is exact. Stops early.
 */
export function exceedsJsonDepth(body: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * Bodies are JSON or nothing. An HTML form can post `application/x-www-form-urlencoded`,
 * `multipart/form-data` and `text/plain` across sites without a CORS preflight, which is how a
 * login CSRF signs a victim's browser into an attacker's account; none of them is parsed here,
 * so such a request is answered 415 before any handler runs. JSON is parsed by Fastify's own
 * parser (prototype-poisoning keys refused) after a depth check.
 *
 * Call before `app.init()`: parsers registered through useBodyParser take the place of the ones
 * Nest would add at init (JSON and url-encoded).
 */
export function acceptJsonOnly(app: NestFastifyApplication, options: { bodyLimit: number; maxDepth?: number }): void {
  const fastify = app.getHttpAdapter().getInstance();
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // Fastify's defaults include text/plain; only what is registered below is accepted.
  fastify.removeAllContentTypeParsers();
  app.useBodyParser('application/json', { bodyLimit: options.bodyLimit }, (request: FastifyRequest, body: Buffer, done: (error: Error | null, parsed?: unknown) => void) => {
    if (exceedsJsonDepth(body, maxDepth)) return done(new AppError('BODY_TOO_DEEP', `JSON nested deeper than ${maxDepth} levels`));
    parseJson(request, body as unknown as string, done);
  });
  // Registered only so that Nest does not add its url-encoded parser at init.
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: options.bodyLimit }, (_request: FastifyRequest, _body: Buffer, done: (error: Error | null) => void) => {
    done(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Only application/json bodies are accepted'));
  });
}
