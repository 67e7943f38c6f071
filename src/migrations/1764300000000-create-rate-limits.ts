import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRateLimits1764300000000 implements MigrationInterface {
  name = 'CreateRateLimits1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Fixed-window request counters shared by every instance (per client IP on the auth routes).
    await queryRunner.query(`
      CREATE TABLE "rate_limits" (
        "key" varchar(128) PRIMARY KEY,
        "hits" integer NOT NULL,
        "window_ends" timestamptz NOT NULL
      )`);
    // Failed logins per email, keyed by an HMAC of the normalised email: unknown emails lock
    // exactly like real ones, and the table does not list who was attacked.
    await queryRunner.query(`
      CREATE TABLE "login_failures" (
        "key" varchar(64) PRIMARY KEY,
        "failures" integer NOT NULL,
        "window_ends" timestamptz NOT NULL,
        "locked_until" timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX "rate_limits_window_ends_idx" ON "rate_limits" ("window_ends")`);
    await queryRunner.query(`CREATE INDEX "login_failures_window_ends_idx" ON "login_failures" ("window_ends")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "login_failures"`);
    await queryRunner.query(`DROP TABLE "rate_limits"`);
  }
}
