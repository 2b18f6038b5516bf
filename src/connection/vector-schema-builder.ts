import type { DataSource } from 'typeorm';
import { Query } from 'typeorm/driver/Query';
import type { SqlInMemory } from 'typeorm/driver/SqlInMemory';
import type { SchemaBuilder } from 'typeorm/schema-builder/SchemaBuilder';
import { resolveDialect } from '../dialects/resolve';
import { escapeTable, indexSupport } from '../dialects/vector-index';
import { definitionSql } from '../migrations/vector-index-helpers';
import { queryRows, runStatements } from '../migrations/run-statements';
import { vectorIndexesOf } from './bind-vector-indexes';

/**
 * TypeORM's schema builder plus the `@VectorIndex` indexes: `build()` (synchronize) creates the
 * missing ones after TypeORM's own changes, and `log()` (what `migration:generate` writes) appends
 * their CREATE statements to `up` and their DROP statements to `down`. An index that already exists
 * under its name is left alone (on PostgreSQL: unless its definition changed), so a generate after
 * `migration:run` finds no changes.
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
    const changes = await this.plan();
    if (!changes.length) return;
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      for (const change of changes) {
        await runStatements(queryRunner, change.up, `Creating vector index '${change.name}' during synchronize`, 'check the @VectorIndex options');
      }
    } finally {
      await queryRunner.release();
    }
  }

  async log(): Promise<SqlInMemory> {
    const memory = await this.inner.log();
    for (const change of await this.plan()) {
      memory.upQueries.push(...change.up.map((statement) => new Query(statement)));
      // migration:generate reverses the whole down list, so each change's down is pushed reversed.
      memory.downQueries.push(...[...change.down].reverse().map((statement) => new Query(statement)));
    }
    await this.restoreDroppedIndexes(memory);
    this.followTableRebuilds(memory);
    return memory;
  }

  /**
   * SQLite changes a column by copying the table (CREATE temporary_t, INSERT ... SELECT, DROP TABLE
   * t, RENAME), in `up` and again in `down`. The copy loses vec0's triggers, and TypeORM recreates a
   * table's indexes from its catalog, which cannot express libSQL's `libsql_vector_idx(...)`. So
   * for every `@VectorIndex` of a rebuilt table, what the rebuild loses (vec0's triggers, libSQL's
   * index) is recreated at the end of `up` and of `down`, or TypeORM's own CREATE INDEX of it
   * becomes ours where TypeORM recreates it.
   */
  private followTableRebuilds(memory: SqlInMemory): void {
    const support = indexSupport(resolveDialect(this.dataSource));
    const escape = this.escape();
    for (const { definition } of this.entities().flatMap((entity) => vectorIndexesOf(entity))) {
      const dropTable = `DROP TABLE ${escapeTable(definition.table, escape)}`;
      if (!memory.upQueries.some((query) => query.query === dropTable)) continue;
      const [create] = support.createIndexSql(definition, escape);
      const typeormCreate = `CREATE INDEX ${escape(definition.name)} ON `;
      const replaceIn = (queries: Query[]) => {
        let replaced = false;
        for (const query of queries) {
          if (create && query.query.startsWith(typeormCreate)) {
            query.query = create;
            replaced = true;
          }
        }
        return replaced;
      };
      const again = support.afterTableRebuildSql?.(definition, escape) ?? [];
      if (!again.length) continue;
      if (!replaceIn(memory.upQueries)) memory.upQueries.push(...again.map((statement) => new Query(statement)));
      // Runs last in down (migration:generate reverses the down list): after TypeORM's reverse copy.
      if (!replaceIn(memory.downQueries)) memory.downQueries.unshift(...[...again].reverse().map((statement) => new Query(statement)));
    }
  }

  /**
   * Missing `@VectorIndex`es are created; on backends whose catalog gives the full definition
   * (PostgreSQL), an index whose kind, metric or tuning changed is dropped and recreated, with the
   * old definition restored exactly in `down`.
   */
  private async plan(): Promise<Array<{ name: string; up: string[]; down: string[] }>> {
    const bound = this.entities().flatMap((entity) => vectorIndexesOf(entity));
    if (!bound.length) return [];
    const dialect = resolveDialect(this.dataSource);
    const support = indexSupport(dialect);
    const escape = this.escape();
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const changes = [];
      for (const { definition } of bound) {
        const { sql, parameters } = support.indexExistsQuery(definition, escape);
        const [existing] = await queryRows(queryRunner, sql, parameters);
        const { up, down } = definitionSql(dialect, definition, escape);
        if (!existing) {
          changes.push({ name: definition.name, up, down });
        } else if (support.existingIndex && !support.existingIndex.matches(existing, definition, escape)) {
          const dropOld = support.dropIndexSql({ ...definition, settings: { ...definition.settings, concurrently: false } }, escape);
          changes.push({ name: definition.name, up: [...dropOld, ...up], down: [...down, ...support.existingIndex.recreateSql(existing, definition, escape)] });
        }
      }
      return changes;
    } finally {
      await queryRunner.release();
    }
  }

  /**
   * TypeORM drops a vector index its metadata no longer knows (a removed `@VectorIndex`) and, in
   * `down`, recreates it without its method and operator class. Where the catalog has the exact
   * definition (PostgreSQL), that `down` statement is replaced by it.
   */
  private async restoreDroppedIndexes(memory: SqlInMemory): Promise<void> {
    const existingIndex = indexSupport(resolveDialect(this.dataSource)).existingIndex;
    if (!existingIndex?.onTableQuery) return;
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      for (const entity of this.entities()) {
        const { sql, parameters } = existingIndex.onTableQuery(entity.tablePath);
        for (const row of await queryRows(queryRunner, sql, parameters)) {
          const prefix = `CREATE INDEX ${this.escape()(String(row.name))} ON `;
          for (const query of memory.downQueries) {
            if (query.query.startsWith(prefix)) query.query = String(row.definition);
          }
        }
      }
    } finally {
      await queryRunner.release();
    }
  }

  private entities() {
    return this.dataSource.entityMetadatas.filter((entity) => entity.synchronize && entity.tableType !== 'view');
  }

  private escape() {
    return (identifier: string) => this.dataSource.driver.escape(identifier);
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
