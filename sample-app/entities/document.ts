import 'reflect-metadata';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { FullTextIndex, VectorColumn, VectorIndex } from '../../src';

/** Dimensions of the sample app's embeddings: both embedders (sample-app/embedders/) make vectors of this size. */
export const EMBEDDING_DIMENSIONS = 256;

/**
 * A searchable text of the sample app. Its embedding has a cosine vector index (HNSW on PostgreSQL
 * and MariaDB, libsql_vector_idx on libSQL, a vec0 table on SQLite) and its title and body a
 * full-text index, for `search --hybrid`. `id` is the text's line in sample-app/corpus/corpus.json
 * (from 1), so the same text has the same id on every backend.
 */
@Entity('document')
@FullTextIndex(['title', 'body'])
export class Document {
  @PrimaryColumn({ type: 'int' }) id!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) body!: string;
  @Index('document_category')
  @Column({ type: 'varchar', length: 40 }) category!: string;
  /** Publication date, `YYYY-MM-DD`. */
  @Column({ type: 'date' }) published!: string;
  @VectorColumn(EMBEDDING_DIMENSIONS)
  @VectorIndex({ metric: 'cosine' })
  embedding!: number[];
}
