import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditEvents1764200000000 implements MigrationInterface {
  name = 'CreateAuditEvents1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "type" varchar(40) NOT NULL,
        "user_id" uuid,
        "actor_id" uuid,
        "ip" varchar(64),
        "user_agent" varchar(256),
        "details" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "audit_events_user_idx" ON "audit_events" ("user_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "audit_events_type_idx" ON "audit_events" ("type", "created_at")`);
    await queryRunner.query(`CREATE INDEX "audit_events_created_at_idx" ON "audit_events" ("created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
