import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateProjects1795551711179 implements MigrationInterface {
    name = 'CreateProjects1795551711179'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "projects" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "owner_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "projects_name_check" CHECK ("name" <> ''),
                CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "projects_owner_id_created_at_idx" ON "projects" ("owner_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "projects"
            ADD CONSTRAINT "projects_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "projects" DROP CONSTRAINT "projects_owner_id_fkey"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."projects_owner_id_created_at_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "projects"
        `);
    }

}
