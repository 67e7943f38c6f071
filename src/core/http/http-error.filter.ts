import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';

/**
 * Errors raised by Fastify itself (malformed JSON, a body over the limit, a wrong content type)
 * reach Nest as an HttpException with a bare string message, which Nest would answer without the
 * `error` field. They get the same `{ statusCode, message, error }` shape as every other error.
 * Anything that is not an HttpException falls through to Nest's handler: logged, and answered
 * with a bare 500 that carries no details.
 */
@Catch()
export class HttpErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const retryAfter = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') host.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
    if (exception instanceof HttpException && typeof exception.getResponse() === 'string') {
      const status = exception.getStatus();
      const body = { statusCode: status, message: exception.message, error: STATUS_CODES[status] ?? 'Error' };
      return super.catch(new HttpException(body, status, { cause: exception }), host);
    }
    super.catch(exception, host);
  }
}
