import { Injectable, Logger, Module } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LoginFailure } from './login-failure.entity.js';
import { LoginLockout } from './login-lockout.service.js';
import { RateLimit } from './rate-limit.entity.js';
import { PerEmailLimit } from './per-email-limit.js';

/** Rate-limit windows that ended are of no use to anyone (PostgreSQL store only). */
@Injectable()
class RateLimitSweeper {
  private readonly logger = new Logger(RateLimitSweeper.name);

  constructor(private readonly dataSource: DataSource) {}

  @Interval('rate-limit-sweep', 5 * 60_000)
  async sweep(): Promise<void> {
    await this.dataSource
      .query("DELETE FROM rate_limits WHERE window_ends < now() - interval '1 minute'")
      .catch((error: unknown) => this.logger.warn(`Rate-limit sweep failed: ${String(error)}`));
  }
}

@Module({
  imports: [TypeOrmModule.forFeature([RateLimit, LoginFailure])],
  providers: [LoginLockout, PerEmailLimit, RateLimitSweeper],
  exports: [LoginLockout, PerEmailLimit],
})
export class ThrottlingModule {}
