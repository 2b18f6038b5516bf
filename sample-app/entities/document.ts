import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VectorColumn, VectorIndex } from '../../src';

/** Dimensions of the sample app's embeddings (see sample-app/embed.ts). */
export const EMBEDDING_DIMENSIONS = 256;

/**
 * A searchable document of the sample app. Its embedding has a cosine vector index: HNSW on
 * PostgreSQL and MariaDB, libsql_vector_idx on libSQL, a vec0 table on SQLite.
 */
@Entity('document')
export class Document {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) body!: string;
  @VectorColumn(EMBEDDING_DIMENSIONS)
  @VectorIndex({ metric: 'cosine' })
  embedding!: number[];
}
