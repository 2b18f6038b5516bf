import type { DataSource } from 'typeorm';
import { Query } from 'typeorm/driver/Query';
import type { SqlInMemory } from 'typeorm/driver/SqlInMemory';
import type { SchemaBuilder } from 'typeorm/schema-builder/SchemaBuilder';
import { resolveDialect } from '../dialects/resolve';
import { definitionSql, vectorIndexExists } from '../migrations/vector-index-helpers';
import { runStatements } from '../migrations/run-statements';
import { vectorIndexesOf, type BoundVectorIndex } from './bind-vector-indexes';

/**
 * TypeORM's schema builder plus the `@VectorIndex` indexes: `build()` (synchronize) creates the
 * missing ones after TypeORM's own changes, and `log()` (what `migration:generate` writes) appends
 * their CREATE statements to `up` and their DROP statements to `down`. An index that already exists
 * under its name is left alone, so a generate after `migration:run` finds no changes.
 *
 * @example
 * const sql = await dataSource.driver.createSchemaBuilder().log(); // on a VectorDataSource
 */
export class VectorSchemaBuilder implements SchemaBuilder {
  constructor(
    private readonly inner: SchemaBuilder,
    private readonly dataSource: DataSource,
  ) {}

  async build(): Promise<void> {
    await this.inner.build();
    const missing = await this.missingIndexes();
    if (!missing.length) return;
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      for (const { definition, sql } of missing) {
        await runStatements(queryRunner, sql.up, `Creating vector index '${definition.name}' during synchronize`, 'check the @VectorIndex options');
      }
    } finally {
      await queryRunner.release();
    }
  }

  async log(): Promise<SqlInMemory> {
    const memory = await this.inner.log();
    for (const { sql } of await this.missingIndexes()) {
      memory.upQueries.push(...sql.up.map((statement) => new Query(statement)));
      // migration:generate reverses the whole down list, so the drops are pushed in reverse.
      memory.downQueries.push(...[...sql.down].reverse().map((statement) => new Query(statement)));
    }
    return memory;
  }

  private async missingIndexes(): Promise<Array<BoundVectorIndex & { sql: { up: string[]; down: string[] } }>> {
    const bound = this.dataSource.entityMetadatas.filter((entity) => entity.synchronize).flatMap((entity) => vectorIndexesOf(entity));
    if (!bound.length) return [];
    const dialect = resolveDialect(this.dataSource);
    const escape = (identifier: string) => this.dataSource.driver.escape(identifier);
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const missing = [];
      for (const index of bound) {
        if (await vectorIndexExists(queryRunner, index.definition)) continue;
        missing.push({ ...index, sql: definitionSql(dialect, index.definition, escape) });
      }
      return missing;
    } finally {
      await queryRunner.release();
    }
  }
}

const installed = new WeakSet<object>();

/**
 * Makes `dataSource.driver.createSchemaBuilder()` return a `VectorSchemaBuilder` (an own property of
 * this one driver instance; no prototype changes). Idempotent.
 *
 * @example
 * installVectorSchemaBuilder(dataSource); // called by VectorDataSource.buildMetadatas()
 */
export function installVectorSchemaBuilder(dataSource: DataSource): void {
  const driver = dataSource.driver;
  if (installed.has(driver)) return;
  const original = driver.createSchemaBuilder.bind(driver);
  driver.createSchemaBuilder = () => new VectorSchemaBuilder(original(), dataSource);
  installed.add(driver);
}
