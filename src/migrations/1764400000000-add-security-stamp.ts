import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-account version of everything that decides who may act as the account: bumped in the same
 * transaction as a password change, disable, re-enable, role change or "log out everywhere".
 * A credential check remembers the stamp it read; a session, a reset link or a second-factor
 * challenge is only honoured while the stamp is unchanged.
 */
export class AddSecurityStamp1764400000000 implements MigrationInterface {
  name = 'AddSecurityStamp1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "security_stamp" integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "security_stamp"`);
  }
}
