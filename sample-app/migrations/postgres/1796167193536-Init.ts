import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1796167193536 implements MigrationInterface {
    name = 'Init1796167193536'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "document" ("id" integer NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "category" character varying(40) NOT NULL, "published" date NOT NULL, "embedding" vector(256) NOT NULL, CONSTRAINT "PK_e57d3357f83f3cdc0acffc3d777" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "document_category" ON "document"  ("category") `);
        await queryRunner.query(`CREATE TABLE "embedding_settings" ("id" integer NOT NULL, "embedder" character varying(200) NOT NULL, "dimensions" integer NOT NULL, CONSTRAINT "PK_234801a43b35d3a2a422a2e22f7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "document_embedding_hnsw_cosine" ON "document" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)`);
        await queryRunner.query(`CREATE INDEX "document_title_body_fts" ON "document" USING gin (to_tsvector('english'::regconfig, COALESCE("title", '') || ' ' || COALESCE("body", '')))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "document_title_body_fts"`);
        await queryRunner.query(`DROP INDEX "document_embedding_hnsw_cosine"`);
        await queryRunner.query(`DROP TABLE "embedding_settings"`);
        await queryRunner.query(`DROP INDEX "public"."document_category"`);
        await queryRunner.query(`DROP TABLE "document"`);
    }

}
