import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMfa1764520000000 implements MigrationInterface {
  name = 'CreateMfa1764520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One TOTP authenticator per account. The secret is AES-256-GCM sealed (key derived from
    // JWT_SECRET, bound to the user id). last_used_step is the RFC 6238 time step of the last
    // accepted code: a code is accepted only for a strictly later step, so none is replayed.
    await queryRunner.query(`
      CREATE TABLE "mfa_totp" (
        "user_id" uuid PRIMARY KEY REFERENCES "users" ("id") ON DELETE CASCADE,
        "secret_sealed" varchar(255) NOT NULL,
        "enabled_at" timestamptz,
        "last_used_step" bigint,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // Single-use recovery codes, stored only as HMACs under a derived key.
    await queryRunner.query(`
      CREATE TABLE "mfa_recovery_codes" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "code_hash" varchar(64) NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "mfa_recovery_codes_user_code_idx" ON "mfa_recovery_codes" ("user_id", "code_hash")`);
    // The half-finished sign-in between the password and the second factor. Only a hash of the
    // token is kept; the row says which login route to complete and the account's stamp then.
    await queryRunner.query(`
      CREATE TABLE "mfa_challenges" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "token_hash" varchar(64) NOT NULL,
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "transport" varchar(16) NOT NULL CHECK ("transport" IN ('token', 'cookie', 'session')),
        "security_stamp" integer NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "mfa_challenges_token_hash_idx" ON "mfa_challenges" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "mfa_challenges_user_id_idx" ON "mfa_challenges" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "mfa_challenges_expires_at_idx" ON "mfa_challenges" ("expires_at")`);
    // How the session was signed in (RFC 8176 amr values, space-separated), so a refresh keeps it.
    await queryRunner.query(`ALTER TABLE "sessions" ADD "amr" varchar(32) NOT NULL DEFAULT 'pwd'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "amr"`);
    await queryRunner.query(`DROP TABLE "mfa_challenges"`);
    await queryRunner.query(`DROP TABLE "mfa_recovery_codes"`);
    await queryRunner.query(`DROP TABLE "mfa_totp"`);
  }
}
