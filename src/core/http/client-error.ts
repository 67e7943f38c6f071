import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from './app-error.js';

/**
 * Answers what Node's HTTP parser refuses before Fastify routes anything (headers over the limit,
 * a malformed request, a request that never finished arriving) with the same error body as every
 * other error, `code` included. Fastify's own handler writes the same answer without a code; it
 * is replaced (the clientErrorHandler option) rather than patched afterwards, since the socket is
 * all there is at this point.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, code, message]: [number, ErrorBody['code'], string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'Request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time']
        : [400, 'BAD_REQUEST', 'Malformed HTTP request'];
  const status = STATUS_CODES[statusCode] as string;
  const body = JSON.stringify({ statusCode, message, error: status, code } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${statusCode} ${status}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
