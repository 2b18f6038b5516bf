import type { DataSource } from 'typeorm';
import { fullTextIndexesOf } from '../column/full-text-index-attachment';
import type { FullTextDialect, VectorDialect } from '../dialects';
import { escapeOf } from '../migrations/vector-index-helpers';
import { queryRows, runStatements } from '../migrations/run-statements';
import { dropsTable, sqlQuery, type SchemaBuilder, type SqlInMemory } from '../typeorm-internals';
import { escapeTable, type FullTextIndexDefinition } from '../vocabulary';

/**
 * A schema builder (TypeORM's, or one wrapping it) plus the `@FullTextIndex` indexes: `build()`
 * (synchronize) creates the missing ones after the inner builder's changes, and `log()` (what
 * `migration:generate` writes) appends their CREATE statements to `up` and their DROP statements
 * to `down`. An index that exists under its name is left alone, so a generate after
 * `migration:run` finds no changes. Where TypeORM copies a table (SQLite), the FTS5 triggers the
 * copy loses are recreated and the FTS5 table rebuilt, in `up` and in `down`, and after a
 * `synchronize` that copied the table.
 *
 * @example
 * wrapSchemaBuilder(driver, (inner) => new FullTextSchemaBuilder(new VectorSchemaBuilder(inner, dataSource, dialect), dataSource, dialect));
 */
export class FullTextSchemaBuilder implements SchemaBuilder {
  constructor(
    private readonly inner: SchemaBuilder,
    private readonly dataSource: DataSource,
    private readonly dialect: VectorDialect,
  ) {}

  async build(): Promise<void> {
    const fullText = this.dialect.fullText;
    // Where a table copy loses the FTS5 triggers (SQLite), learn first which tables this build copies.
    const watched = fullText?.afterTableRebuild ? this.declared() : [];
    const planned = watched.length ? await this.inner.log() : undefined;
    await this.inner.build();
    if (!fullText) return;
    const missing = await this.missing(fullText);
    const created = new Set(missing.map((index) => index.name));
    const copied = planned ? watched.filter((index) => !created.has(index.name) && this.rebuilds(planned, index)) : [];
    if (!missing.length && !copied.length) return;
    const escape = escapeOf(this.dataSource);
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      for (const index of missing) {
        await runStatements(queryRunner, fullText.createIndex(index, escape), `Creating full-text index '${index.name}' during synchronize`, 'check the @FullTextIndex properties and options');
      }
      for (const index of copied) {
        await runStatements(queryRunner, fullText.afterTableRebuild?.(index, escape) ?? [], `Restoring full-text index '${index.name}' after its table was copied during synchronize`, 'run synchronize again, or recreate the index');
      }
    } finally {
      await queryRunner.release();
    }
  }

  async log(): Promise<SqlInMemory> {
    const memory = await this.inner.log();
    const fullText = this.dialect.fullText;
    if (!fullText) return memory;
    const escape = escapeOf(this.dataSource);
    const missing = await this.missing(fullText);
    const created = new Set(missing.map((index) => index.name));
    for (const index of missing) {
      memory.upQueries.push(...fullText.createIndex(index, escape).map(sqlQuery));
      // migration:generate reverses the down list: at the end it runs first; at the start (where the table is copied) after the copy back.
      const down = [...fullText.dropIndex(index, escape)].reverse().map(sqlQuery);
      if (this.rebuilds(memory, index)) memory.downQueries.unshift(...down);
      else memory.downQueries.push(...down);
    }
    for (const index of this.declared()) {
      if (created.has(index.name) || !this.rebuilds(memory, index)) continue;
      const again = fullText.afterTableRebuild?.(index, escape) ?? [];
      memory.upQueries.push(...again.map(sqlQuery));
      memory.downQueries.unshift(...[...again].reverse().map(sqlQuery));
    }
    return memory;
  }

  private rebuilds(memory: SqlInMemory, index: FullTextIndexDefinition): boolean {
    return dropsTable(memory.upQueries, escapeTable(index.table, escapeOf(this.dataSource)));
  }

  private declared(): FullTextIndexDefinition[] {
    return this.dataSource.entityMetadatas
      .filter((entity) => entity.synchronize && entity.tableType !== 'view')
      .flatMap((entity) => fullTextIndexesOf(entity).map((attached) => attached.definition));
  }

  private async missing(fullText: FullTextDialect): Promise<FullTextIndexDefinition[]> {
    const declared = this.declared();
    if (!declared.length) return [];
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const missing: FullTextIndexDefinition[] = [];
      for (const index of declared) {
        const { sql, parameters } = fullText.indexExists(index, escapeOf(this.dataSource));
        if (!(await queryRows(queryRunner, sql, parameters)).length) missing.push(index);
      }
      return missing;
    } finally {
      await queryRunner.release();
    }
  }
}
