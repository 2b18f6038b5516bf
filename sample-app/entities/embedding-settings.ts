import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Which embedder made the vectors in `document` (one row, id 1). The sample app compares it with the
 * embedder it runs with and re-indexes when they differ, so vectors of two models are never mixed.
 */
@Entity('embedding_settings')
export class EmbeddingSettings {
  @PrimaryColumn({ type: 'int' }) id!: number;
  @Column({ type: 'varchar', length: 200 }) embedder!: string;
  @Column({ type: 'int' }) dimensions!: number;
}
