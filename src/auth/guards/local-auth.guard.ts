import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { createValidationPipe } from '../../core/http/validation.js';
import { AuthService } from '../auth.service.js';
import { LoginDto } from '../dto/login.dto.js';
import { LOCAL_STRATEGY, REQUEST_AUTH_SERVICE, type LocalAuthRequest } from '../strategies/local.strategy.js';

/**
 * Guards run before pipes, so the login body is validated here first: a malformed body is a
 * `400`, not a confusing `401`, and passport-local only ever sees two strings.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard(LOCAL_STRATEGY) {
  private readonly validation = createValidationPipe();

  constructor(private readonly auth: AuthService) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<LocalAuthRequest>();
    request.body = await this.validation.transform(request.body ?? {}, { type: 'body', metatype: LoginDto });
    request[REQUEST_AUTH_SERVICE] = this.auth;
    return (await super.canActivate(context)) as boolean;
  }
}
