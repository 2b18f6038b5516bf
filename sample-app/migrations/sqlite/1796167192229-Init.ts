import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1796167192229 implements MigrationInterface {
    name = 'Init1796167192229'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "document" ("id" integer PRIMARY KEY NOT NULL, "title" varchar(200) NOT NULL, "body" text NOT NULL, "category" varchar(40) NOT NULL, "published" date NOT NULL, "embedding" blob NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "document_category" ON "document" ("category") `);
        await queryRunner.query(`CREATE TABLE "embedding_settings" ("id" integer PRIMARY KEY NOT NULL, "embedder" varchar(200) NOT NULL, "dimensions" integer NOT NULL)`);
        await queryRunner.query(`CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0(embedding float[256] distance_metric=cosine)`);
        await queryRunner.query(`INSERT INTO "document_embedding_vec0_cosine"(rowid, "embedding") SELECT rowid, "embedding" FROM "document" WHERE "embedding" IS NOT NULL`);
        await queryRunner.query(`CREATE TRIGGER "document_embedding_vec0_cosine_insert" AFTER INSERT ON "document" WHEN NEW."embedding" IS NOT NULL BEGIN INSERT INTO "document_embedding_vec0_cosine"(rowid, "embedding") VALUES (NEW.rowid, NEW."embedding"); END`);
        await queryRunner.query(`CREATE TRIGGER "document_embedding_vec0_cosine_update" AFTER UPDATE ON "document" BEGIN DELETE FROM "document_embedding_vec0_cosine" WHERE rowid = OLD.rowid; INSERT INTO "document_embedding_vec0_cosine"(rowid, "embedding") SELECT NEW.rowid, NEW."embedding" WHERE NEW."embedding" IS NOT NULL; END`);
        await queryRunner.query(`CREATE TRIGGER "document_embedding_vec0_cosine_delete" AFTER DELETE ON "document" BEGIN DELETE FROM "document_embedding_vec0_cosine" WHERE rowid = OLD.rowid; END`);
        await queryRunner.query(`CREATE VIRTUAL TABLE "document_title_body_fts" USING fts5("title", "body", content='document')`);
        await queryRunner.query(`INSERT INTO "document_title_body_fts"("document_title_body_fts") VALUES ('rebuild')`);
        await queryRunner.query(`CREATE TRIGGER "document_title_body_fts_insert" AFTER INSERT ON "document" BEGIN INSERT INTO "document_title_body_fts"(rowid, "title", "body") VALUES (NEW.rowid, NEW."title", NEW."body"); END`);
        await queryRunner.query(`CREATE TRIGGER "document_title_body_fts_update" AFTER UPDATE ON "document" BEGIN INSERT INTO "document_title_body_fts"("document_title_body_fts", rowid, "title", "body") VALUES ('delete', OLD.rowid, OLD."title", OLD."body"); INSERT INTO "document_title_body_fts"(rowid, "title", "body") VALUES (NEW.rowid, NEW."title", NEW."body"); END`);
        await queryRunner.query(`CREATE TRIGGER "document_title_body_fts_delete" AFTER DELETE ON "document" BEGIN INSERT INTO "document_title_body_fts"("document_title_body_fts", rowid, "title", "body") VALUES ('delete', OLD.rowid, OLD."title", OLD."body"); END`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER IF EXISTS "document_title_body_fts_delete"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS "document_title_body_fts_update"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS "document_title_body_fts_insert"`);
        await queryRunner.query(`DROP TABLE "document_title_body_fts"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_delete"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_update"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_insert"`);
        await queryRunner.query(`DROP TABLE "document_embedding_vec0_cosine"`);
        await queryRunner.query(`DROP TABLE "embedding_settings"`);
        await queryRunner.query(`DROP INDEX "document_category"`);
        await queryRunner.query(`DROP TABLE "document"`);
    }

}
