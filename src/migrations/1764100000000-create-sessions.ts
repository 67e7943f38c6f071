import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSessions1764100000000 implements MigrationInterface {
  name = 'CreateSessions1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per signed-in device, whatever carries its credential (token or cookie).
    // No refresh token is stored: it is an HMAC of (id, refresh_counter) under a server key.
    await queryRunner.query(`
      CREATE TABLE "sessions" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "kind" varchar(16) NOT NULL CHECK ("kind" IN ('token', 'cookie')),
        "refresh_counter" integer NOT NULL DEFAULT 0,
        "rotated_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_used_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "revoked_reason" varchar(32),
        "ip" varchar(64),
        "user_agent" varchar(256)
      )`);
    await queryRunner.query(`CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at")`);
    await queryRunner.query(`CREATE INDEX "sessions_revoked_at_idx" ON "sessions" ("revoked_at") WHERE "revoked_at" IS NOT NULL`);
    // When a role last changed: access tokens carrying the previous role are refused after it.
    await queryRunner.query(`ALTER TABLE "users" ADD "role_changed_at" timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "role_changed_at"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
  }
}
