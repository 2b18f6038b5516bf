import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VectorColumn } from '../../src';

/** A document with a 3-dimensional embedding stored under another column name, and a nullable draft. */
@Entity('doc')
export class Doc {
  @PrimaryGeneratedColumn() id!: number;
  @Column() title!: string;
  @VectorColumn(3, { name: 'embedding_vec' }) embedding!: number[];
  @VectorColumn(3, { nullable: true, as: 'float32array' }) draft!: Float32Array | null;
}

/** Wide vectors, for the larger data sets. */
@Entity('wide_item')
export class WideItem {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) bucket!: number;
  @VectorColumn(32) embedding!: number[];
}

/** `Doc` with its embedding widened from 3 to 4 dimensions, for schema-change tests (same table). */
@Entity('doc')
export class WiderDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column() title!: string;
  @VectorColumn(4, { name: 'embedding_vec' }) embedding!: number[];
  @VectorColumn(3, { nullable: true, as: 'float32array' }) draft!: Float32Array | null;
}
