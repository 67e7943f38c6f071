import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { ConfigurationError } from '../core/config/env.validation.js';
import { AppError } from '../core/http/app-error.js';
import { Role } from '../access/role.enum.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AccountLifecycle } from './account-lifecycle.service.js';
import { PasswordHasher } from './password.js';
import { passwordPolicyViolation } from './password-policy.js';

/**
 * With ADMIN_EMAIL and ADMIN_PASSWORD set, makes sure that admin exists and can act: created once,
 * or an existing account re-enabled and re-promoted (its password left untouched), so an operator
 * locked out by a disabled or demoted admin gets back in by restarting. Safe when instances start
 * together: the unique index decides who creates it, the others promote.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    private readonly users: UsersService,
    private readonly lifecycle: AccountLifecycle,
    private readonly passwords: PasswordHasher,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    // The same policy as every other password: the most powerful account gets no exemption.
    const violation = passwordPolicyViolation(adminPassword, { email: adminEmail });
    if (violation !== undefined) throw new ConfigurationError(`Refusing to start: ADMIN_PASSWORD is not acceptable (${violation})`);
    const existing = await this.users.findByEmail(adminEmail);
    if (existing) return this.reinstate(existing);
    try {
      await this.users.create({ email: adminEmail, passwordHash: await this.passwords.hash(adminPassword), role: Role.Admin });
      this.logger.log(`Created admin account ${adminEmail}`);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'USER_EMAIL_TAKEN')) throw error;
      const raced = await this.users.findByEmail(adminEmail);
      if (raced) await this.reinstate(raced);
    }
  }

  private async reinstate(user: User): Promise<void> {
    if (user.role === Role.Admin && user.disabledAt === null) return;
    await this.lifecycle.update(user.id, { role: Role.Admin, disabled: false });
    this.logger.log(`Re-enabled and promoted ${this.config.adminEmail} to admin`);
  }
}
