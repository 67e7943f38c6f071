import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import type { User } from '../../users/user.entity.js';
import { AuthService } from '../auth.service.js';
import { clientInfo } from '../../core/http/client-info.decorator.js';

export const LOCAL_STRATEGY = 'local';

/** Set by LocalAuthGuard: the AuthService of the application that received the request. */
export const REQUEST_AUTH_SERVICE = Symbol('gatehouse.authService');

export type LocalAuthRequest = FastifyRequest & { [REQUEST_AUTH_SERVICE]?: AuthService };

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, LOCAL_STRATEGY) {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', session: false, passReqToCallback: true });
  }

  /**
   * Passport keeps strategies in one process-wide registry, so when several Nest applications
   * share a process (instances in a test, a host embedding Gatehouse twice) the last one
   * registered would answer for all, even after it was closed. The credentials are therefore
   * checked by the application that received the request.
   */
  validate(request: LocalAuthRequest, email: string, password: string): Promise<User> {
    return (request[REQUEST_AUTH_SERVICE] ?? this.auth).verifyCredentials(email, password, clientInfo(request));
  }
}
