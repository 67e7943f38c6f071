import { ConflictException, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { Role } from '../access/role.enum.js';
import { UsersService } from '../users/users.service.js';
import { PasswordHasher } from './password.js';

/**
 * With ADMIN_EMAIL and ADMIN_PASSWORD set, makes sure that admin exists: created once, or an
 * existing account promoted with its password left untouched. Safe when instances start together:
 * the unique index decides who creates it, the others promote.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    const existing = await this.users.findByEmail(adminEmail);
    if (existing) return this.promote(existing.id, existing.role);
    try {
      await this.users.create({ email: adminEmail, passwordHash: await this.passwords.hash(adminPassword), role: Role.Admin });
      this.logger.log(`Created admin account ${adminEmail}`);
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      const raced = await this.users.findByEmail(adminEmail);
      if (raced) await this.promote(raced.id, raced.role);
    }
  }

  private async promote(id: string, role: Role): Promise<void> {
    if (role === Role.Admin) return;
    await this.users.update(id, { role: Role.Admin });
    this.logger.log(`Promoted ${this.config.adminEmail} to admin`);
  }
}
