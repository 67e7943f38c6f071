import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { createValidationPipe } from '../../common/validation.js';
import { LoginDto } from '../dto/login.dto.js';
import { LOCAL_STRATEGY } from '../strategies/local.strategy.js';

/**
 * Guards run before pipes, so the login body is validated here first: a malformed body is a
 * `400`, not a confusing `401`, and passport-local only ever sees two strings.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard(LOCAL_STRATEGY) {
  private readonly validation = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.body = await this.validation.transform(request.body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }
}
