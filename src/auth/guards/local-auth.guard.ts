import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createValidationPipe } from '../../core/http/validation.js';
import type { User } from '../../users/user.entity.js';
import { LoginDto } from '../dto/login.dto.js';
import { runStrategy } from '../passport/run-strategy.js';
import { LocalStrategy } from '../strategies/local.strategy.js';

/**
 * Checks the login body's email and password with this app's LocalStrategy and sets
 * `request.user`. Guards run before pipes, so the body is validated here first: a malformed body
 * is a `400`, not a confusing `401`, and passport-local only ever sees two strings.
 */
@Injectable()
export class LocalAuthGuard implements CanActivate {
  private readonly validation = createValidationPipe();

  constructor(private readonly strategy: LocalStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: User }>();
    request.body = await this.validation.transform(request.body ?? {}, { type: 'body', metatype: LoginDto });
    request.user = await runStrategy<User>(this.strategy, request);
    return true;
  }
}
