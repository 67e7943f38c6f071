import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCookieSessionData1764150000000 implements MigrationInterface {
  name = 'AddCookieSessionData1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The payload of a cookie session (request.session) when PostgreSQL is the session store.
    await queryRunner.query(`ALTER TABLE "sessions" ADD "data" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "data"`);
  }
}
