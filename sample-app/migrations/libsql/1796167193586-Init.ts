import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1796167193586 implements MigrationInterface {
    name = 'Init1796167193586'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "document" ("id" integer PRIMARY KEY NOT NULL, "title" varchar(200) NOT NULL, "body" text NOT NULL, "category" varchar(40) NOT NULL, "published" date NOT NULL, "embedding" F32_BLOB(256) NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "document_category" ON "document" ("category") `);
        await queryRunner.query(`CREATE TABLE "embedding_settings" ("id" integer PRIMARY KEY NOT NULL, "embedder" varchar(200) NOT NULL, "dimensions" integer NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "document_embedding_diskann_cosine" ON "document" (libsql_vector_idx("embedding", 'metric=cosine', 'max_neighbors=64', 'compress_neighbors=float32'))`);
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
        await queryRunner.query(`DROP INDEX "document_embedding_diskann_cosine"`);
        await queryRunner.query(`DROP TABLE "embedding_settings"`);
        await queryRunner.query(`DROP INDEX "document_category"`);
        await queryRunner.query(`DROP TABLE "document"`);
    }

}
