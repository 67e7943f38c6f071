import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import type { User } from '../../users/user.entity.js';
import { clientInfo } from '../../core/http/client-info.decorator.js';
import { AuthService } from '../auth.service.js';

export const LOCAL_STRATEGY = 'local';

/** Email and password from the login body, checked by AuthService (lockout, bcrypt, audit). */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, LOCAL_STRATEGY) {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', session: false, passReqToCallback: true });
  }

  validate(request: FastifyRequest, email: string, password: string): Promise<User> {
    return this.auth.verifyCredentials(email, password, clientInfo(request));
  }
}
