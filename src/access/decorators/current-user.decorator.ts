import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '../auth-user.js';

/**
 * The principal set by the global guard: `me(@CurrentUser() user: AuthUser)`. The request is read
 * as the handler's first argument, what switchToHttp().getRequest() returns without the three
 * closures that call makes on every request.
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => context.getArgByIndex<{ user: AuthUser }>(0).user,
);
