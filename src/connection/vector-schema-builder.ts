import type { DataSource } from 'typeorm';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import { indexSupport, type VectorDialect } from '../dialects';
import { definitionSql, escapeOf } from '../migrations/vector-index-helpers';
import { queryRows, runStatements } from '../migrations/run-statements';
import { dropsTable, sqlQuery, typeormCreateIndexQueries, type SchemaBuilder, type SqlInMemory } from '../typeorm-internals';
import { escapeTable } from '../vocabulary';

/** One vector index to create (or replace), with what undoes it. */
interface PlannedChange {
  name: string;
  table: string;
  up: string[];
  down: string[];
}

/**
 * TypeORM's schema builder plus the `@VectorIndex` indexes: `build()` (synchronize) creates the
 * missing ones after TypeORM's own changes, and `log()` (what `migration:generate` writes) appends
 * their CREATE statements to `up` and their DROP statements to `down`. An index that already exists
 * under its name is left alone (where the catalog keeps its definition: unless it changed), so a
 * generate after `migration:run` finds no changes.
 *
 * @example
 * const sql = await dataSource.driver.createSchemaBuilder().log(); // on a VectorDataSource
 */
export class VectorSchemaBuilder implements SchemaBuilder {
  constructor(
    private readonly inner: SchemaBuilder,
    private readonly dataSource: DataSource,
    private readonly dialect: VectorDialect,
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
    const changes = await this.plan();
    for (const change of changes) {
      memory.upQueries.push(...change.up.map(sqlQuery));
      // migration:generate reverses the whole down list, so each change's down is added reversed: at
      // the end (it runs first), or, where TypeORM copies the table, at the start, so that it runs
      // after the copy back, which drops vec0's triggers again.
      const down = [...change.down].reverse().map(sqlQuery);
      if (this.rebuilds(memory, change.table)) memory.downQueries.unshift(...down);
      else memory.downQueries.push(...down);
    }
    await this.restoreDroppedIndexes(memory);
    this.followTableRebuilds(memory, new Set(changes.map((change) => change.name)));
    return memory;
  }

  /** Whether TypeORM's `up` copies `table` (SQLite's way to change a column). */
  private rebuilds(memory: SqlInMemory, table: string): boolean {
    return dropsTable(memory.upQueries, escapeTable(table, escapeOf(this.dataSource)));
  }

  /**
   * SQLite changes a column by copying the table (CREATE temporary_t, INSERT ... SELECT, DROP TABLE
   * t, RENAME), in `up` and again in `down`. The copy loses vec0's triggers, and TypeORM recreates a
   * table's indexes from its catalog, which cannot express libSQL's `libsql_vector_idx(...)`. So
   * for every `@VectorIndex` of a rebuilt table, what the rebuild loses is recreated at the end of
   * `up` and of `down`, or TypeORM's own CREATE INDEX of it becomes ours where TypeORM recreates it.
   * An index this migration creates or replaces (`planned`) needs neither: its up runs after the
   * copy and its down after the copy back, whole.
   */
  private followTableRebuilds(memory: SqlInMemory, planned: ReadonlySet<string>): void {
    const { ddl } = indexSupport(this.dialect);
    const escape = escapeOf(this.dataSource);
    for (const { definition } of this.attachedIndexes()) {
      if (!this.rebuilds(memory, definition.table)) continue;
      const again = ddl.afterTableRebuild?.(definition, escape) ?? [];
      if (!again.length) continue;
      const [create] = ddl.createIndex(definition, escape);
      const replaceIn = (queries: typeof memory.upQueries) => {
        const typeormCreates = create ? typeormCreateIndexQueries(queries, escape(definition.name)) : [];
        for (const query of typeormCreates) query.query = create!;
        return typeormCreates.length > 0;
      };
      const replacedUp = replaceIn(memory.upQueries);
      const replacedDown = replaceIn(memory.downQueries);
      if (planned.has(definition.name)) continue;
      if (!replacedUp) memory.upQueries.push(...again.map(sqlQuery));
      // Runs last in down (migration:generate reverses the down list): after TypeORM's reverse copy.
      if (!replacedDown) memory.downQueries.unshift(...[...again].reverse().map(sqlQuery));
    }
  }

  /**
   * Missing `@VectorIndex`es are created; where the catalog gives the full definition, an index whose
   * kind, metric or tuning changed is dropped and recreated, with the old definition restored exactly
   * in `down`.
   */
  private async plan(): Promise<PlannedChange[]> {
    const attached = this.attachedIndexes();
    const { indexExists } = this.dialect.introspection;
    if (!attached.length || !indexExists) return [];
    const { ddl } = indexSupport(this.dialect);
    const escape = escapeOf(this.dataSource);
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const changes: PlannedChange[] = [];
      for (const { definition } of attached) {
        const { sql, parameters } = indexExists(definition, escape);
        const [existing] = await queryRows(queryRunner, sql, parameters);
        const { up, down } = definitionSql(this.dialect, definition, escape);
        if (!existing) {
          changes.push({ name: definition.name, table: definition.table, up, down });
        } else if (ddl.existingIndex && !ddl.existingIndex.matches(existing, definition, escape)) {
          const dropOld = ddl.dropIndex({ ...definition, settings: { ...definition.settings, concurrently: false } }, escape);
          changes.push({ name: definition.name, table: definition.table, up: [...dropOld, ...up], down: [...down, ...ddl.existingIndex.recreate(existing, definition, escape)] });
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
   * definition (PostgreSQL, libSQL), that `down` statement is replaced by it.
   */
  private async restoreDroppedIndexes(memory: SqlInMemory): Promise<void> {
    const { vectorIndexesOnTable, readVectorIndexes } = this.dialect.introspection;
    if (!this.dialect.ddl?.existingIndex || !vectorIndexesOnTable || !readVectorIndexes) return;
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      for (const entity of this.entities()) {
        const { sql, parameters } = vectorIndexesOnTable(entity.tablePath, escapeOf(this.dataSource));
        for (const index of readVectorIndexes(await queryRows(queryRunner, sql, parameters))) {
          for (const query of typeormCreateIndexQueries(memory.downQueries, escapeOf(this.dataSource)(index.name))) query.query = index.definition;
        }
      }
    } finally {
      await queryRunner.release();
    }
  }

  private attachedIndexes() {
    return this.entities().flatMap((entity) => vectorIndexesOf(entity));
  }

  private entities() {
    return this.dataSource.entityMetadatas.filter((entity) => entity.synchronize && entity.tableType !== 'view');
  }
}
