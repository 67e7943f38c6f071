import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { unavailableDependency } from '../database/unavailable.js';
import { AppError, defaultErrorCode, ERROR_STATUS, type ErrorBody, type ErrorCode } from './app-error.js';

/** What a client is told to wait before retrying when a dependency is unavailable. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * Every error leaves as `{ statusCode, message, error, code }`: AppErrors as thrown, Nest's and
 * Fastify's own exceptions (malformed JSON, a body over the limit) with the code their status
 * implies, an unavailable dependency (PostgreSQL or Redis down, unreachable, or past its timeout)
 * as 503 with Retry-After, and anything else as a bare 500 whose details go to the log only,
 * never to the client.
 */
@Catch()
export class HttpErrorFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  private lastUnavailableLog = 0;

  catch(caught: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const exception = this.unavailable(caught) ?? caught;
    const body = this.bodyOf(exception);
    const status = typeof body.statusCode === 'number' ? body.statusCode : 500;
    const retryAfter = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
    void reply.status(status).send(body);
  }

  /** One place maps driver errors (pg, TypeORM, ioredis) to 503; logged at most once a second. */
  private unavailable(exception: unknown): AppError | undefined {
    if (exception instanceof HttpException) return undefined;
    const dependency = unavailableDependency(exception);
    if (dependency === undefined) return undefined;
    if (Date.now() - this.lastUnavailableLog >= 1000) {
      this.lastUnavailableLog = Date.now();
      this.logger.warn(`${dependency === 'database' ? 'PostgreSQL' : 'Redis'} unavailable, answering 503: ${exception instanceof Error ? exception.message.split('\n')[0] : String(exception)}`);
    }
    const name = dependency === 'database' ? 'PostgreSQL' : 'Redis';
    return new AppError('SERVICE_UNAVAILABLE', `${name} is unavailable; retry shortly`, UNAVAILABLE_RETRY_AFTER_SECONDS);
  }

  private bodyOf(exception: unknown): ErrorBody | Record<string, unknown> {
    if (!(exception instanceof HttpException)) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      return { statusCode: 500, message: 'Internal server error', error: STATUS_CODES[500] as string, code: 'INTERNAL_ERROR' };
    }
    const status = exception.getStatus();
    const response = exception.getResponse();
    const given = typeof response === 'object' && response !== null ? (response as Partial<ErrorBody>) : {};
    const code = typeof given.code === 'string' && given.code in ERROR_STATUS ? given.code : defaultErrorCode(status);
    // A report that is not an error message (the health check's per-dependency status) keeps
    // its own shape and gains the code.
    if (typeof response === 'object' && response !== null && !('statusCode' in response)) return { ...response, statusCode: status, code };
    return {
      statusCode: status,
      message: given.message ?? exception.message,
      error: typeof given.error === 'string' ? given.error : (STATUS_CODES[status] ?? 'Error'),
      code: code as ErrorCode,
    };
  }
}
