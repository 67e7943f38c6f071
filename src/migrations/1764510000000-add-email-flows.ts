import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account mail: when an address was verified, the single-use links sent by mail (stored as
 * hashes only), and the outbox the mail waits in until an SMTP server accepts it.
 */
export class AddEmailFlows1764510000000 implements MigrationInterface {
  name = 'AddEmailFlows1764510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" timestamptz`);
    await queryRunner.query(`
      CREATE TABLE "email_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "purpose" varchar(16) NOT NULL,
        "token_hash" bytea NOT NULL,
        "security_stamp" integer NOT NULL,
        "email" varchar(254) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "email_tokens_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "email_tokens_purpose_check" CHECK ("purpose" IN ('verify_email', 'reset_password', 'change_email')),
        CONSTRAINT "email_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "email_tokens_token_hash_key" ON "email_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "email_tokens_user_id_purpose_idx" ON "email_tokens" ("user_id", "purpose")`);
    await queryRunner.query(`CREATE INDEX "email_tokens_expires_at_idx" ON "email_tokens" ("expires_at")`);
    await queryRunner.query(`
      CREATE TABLE "mail_outbox" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "recipient" varchar(254) NOT NULL,
        "subject" varchar(200) NOT NULL,
        "text_body" text,
        "html_body" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "sent_at" timestamptz,
        "abandoned_at" timestamptz,
        "last_error" varchar(500),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "mail_outbox_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "mail_outbox_body_cleared_check" CHECK (("sent_at" IS NULL AND "abandoned_at" IS NULL) OR ("text_body" IS NULL AND "html_body" IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX "mail_outbox_pending_idx" ON "mail_outbox" ("next_attempt_at") WHERE "sent_at" IS NULL AND "abandoned_at" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
    await queryRunner.query(`DROP TABLE "email_tokens"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
