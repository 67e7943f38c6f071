import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A live session can also disappear without going through Gatehouse: a user deleted by hand (the
 * sessions go with it, ON DELETE CASCADE) or a row removed in an emergency. The database then
 * announces it on the revocation channel itself, so every instance refuses its tokens at once.
 */
export class NotifyDeletedSessions1764260000000 implements MigrationInterface {
  name = 'NotifyDeletedSessions1764260000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION gatehouse_notify_deleted_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        chunk text[];
      BEGIN
        FOR chunk IN
          SELECT array_agg(id::text) FROM (
            SELECT id, (row_number() OVER () - 1) / 150 AS part FROM deleted
             WHERE revoked_at IS NULL AND expires_at > now()
          ) live GROUP BY part
        LOOP
          PERFORM pg_notify('gatehouse_revocation', json_build_object('type', 'sessions', 'ids', chunk)::text);
        END LOOP;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER sessions_deleted_notify AFTER DELETE ON sessions
      REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_notify_deleted_sessions()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER sessions_deleted_notify ON sessions');
    await queryRunner.query('DROP FUNCTION gatehouse_notify_deleted_sessions()');
  }
}
