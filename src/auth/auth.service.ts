import { randomUUID } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { authConfig, type AuthConfig } from '../config/auth.config.js';
import { UserResponse } from '../users/dto/user-response.dto.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { RegisterDto } from './dto/register.dto.js';
import type { TokenResponse } from './dto/token-response.dto.js';
import { PasswordHasher } from './password.js';

/** One answer for every credential failure, so a caller cannot tell which part was wrong. */
const INVALID_CREDENTIALS = 'Invalid credentials';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async register(input: RegisterDto): Promise<User> {
    const passwordHash = await this.passwords.hash(input.password);
    return this.users.create({ email: input.email, passwordHash, name: input.name });
  }

  /**
   * Unknown email and wrong password cost the same bcrypt comparison and fail the same way.
   * A disabled account is only reported once the password has proven ownership.
   */
  async verifyCredentials(email: string, password: string): Promise<User> {
    const user = await this.users.findByEmailWithHash(email);
    const valid = await this.passwords.verify(password, user?.passwordHash);
    if (!user || !valid) throw new UnauthorizedException(INVALID_CREDENTIALS);
    if (user.disabledAt !== null) throw new UnauthorizedException('Account is disabled');
    if (this.passwords.needsRehash(user.passwordHash)) {
      await this.users.setPasswordHash(user.id, await this.passwords.hash(password));
    }
    delete (user as Partial<typeof user>).passwordHash;
    return user;
  }

  async issueTokens(user: User): Promise<TokenResponse> {
    const sessionId = randomUUID();
    const accessToken = await this.jwt.signAsync({ role: user.role, sid: sessionId }, { subject: user.id, jwtid: randomUUID() });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.accessTtlSeconds, user: UserResponse.from(user) };
  }
}
