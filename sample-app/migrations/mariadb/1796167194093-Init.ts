import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1796167194093 implements MigrationInterface {
    name = 'Init1796167194093'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`document\` (\`id\` int NOT NULL, \`title\` varchar(200) NOT NULL, \`body\` text NOT NULL, \`category\` varchar(40) NOT NULL, \`published\` date NOT NULL, \`embedding\` vector(256) NOT NULL, INDEX \`document_category\` (\`category\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`embedding_settings\` (\`id\` int NOT NULL, \`embedder\` varchar(200) NOT NULL, \`dimensions\` int NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE VECTOR INDEX \`document_embedding_hnsw_cosine\` ON \`document\` (\`embedding\`) M=16 DISTANCE=cosine`);
        await queryRunner.query(`CREATE FULLTEXT INDEX \`document_title_body_fts\` ON \`document\` (\`title\`, \`body\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`document_title_body_fts\` ON \`document\``);
        await queryRunner.query(`DROP INDEX \`document_embedding_hnsw_cosine\` ON \`document\``);
        await queryRunner.query(`DROP TABLE \`embedding_settings\``);
        await queryRunner.query(`DROP INDEX \`document_category\` ON \`document\``);
        await queryRunner.query(`DROP TABLE \`document\``);
    }

}
