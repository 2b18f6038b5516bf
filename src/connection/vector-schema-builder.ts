import type { DataSource, EntityMetadata, QueryRunner } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { findVectorColumn } from '../column/vector-column-registry';
import { VectorConfigurationError } from '../errors';
import { vectorIndexesOf, type AttachedVectorIndex } from '../column/vector-index-attachment';
import { elementTypeSupport, indexDifferences, indexSupport, vectorIndexOptionsFor, type CatalogVectorIndex, type VectorDialect } from '../dialects';
import { definitionSql, escapeOf } from '../migrations/vector-index-helpers';
import { queryRows, runStatements } from '../migrations/run-statements';
import { dropsTable, fixLoadedTables, registerUnsynchronizedIndex, sqlQuery, typeormCreateIndexQueries, type SchemaBuilder, type SqlInMemory } from '../typeorm-internals';
import { escapeTable, tableParts, type EscapeIdentifier, type VectorElementType, type VectorIndexDefinition } from '../vocabulary';
import { readTableIndexes } from '../query/vector-catalog';
import { serverIndexDefaults, vectorIndexesOnTable } from './vector-catalog-reader';

/**
 * What the schema diff does with a vector index on an entity's table that no `@VectorIndex`
 * declares: `keep` it (the default: it is left out of TypeORM's drops, with one warning naming the
 * `@VectorIndex` that would adopt it) or let TypeORM `drop` it, as plain TypeORM does.
 *
 * @example
 * new VectorDataSource(options, { undeclaredVectorIndexes: 'drop' });
 */
export type UndeclaredVectorIndexes = 'keep' | 'drop';

/** One vector index to create (or replace), with what undoes it. */
interface PlannedChange {
  name: string;
  table: string;
  up: string[];
  down: string[];
}

/** Everything the vector schema needs beyond TypeORM's own diff. */
interface VectorPlan {
  /** Column dimension changes, with the drops and recreations of their indexes: they run before TypeORM's changes in `up`, after them in `down`. */
  before: { up: string[]; down: string[] };
  /**
   * What follows a column change TypeORM makes by copying the table (libSQL): the column's vector
   * indexes recreated after it in `up`; in `down`, run before TypeORM's copy back, the indexes
   * dropped and the vectors of the other dimension count guarded or cleared.
   */
  after: { up: string[]; down: string[] };
  /** Indexes the dimension changes create and drop themselves: no table-copy follow-up for them. */
  handledIndexes: string[];
  /** Vector indexes no `@VectorIndex` declares, kept: a table copy must bring them back as they were. */
  kept: Array<{ table: string; index: CatalogVectorIndex; definition: VectorIndexDefinition }>;
  /** Index creations and changes, after TypeORM's changes. */
  changes: PlannedChange[];
  /** Columns whose dimension change `before` makes: TypeORM's diff must not see them (it would drop and re-add them). */
  hidden: Array<{ table: string; column: string; length: string }>;
}

/** Columns hidden from TypeORM's diff while `log()` runs, per DataSource. */
const hiddenColumns = new WeakMap<DataSource, VectorPlan['hidden']>();
/** Undeclared indexes already warned about, per DataSource. */
const warned = new WeakMap<DataSource, Set<string>>();

/**
 * Makes TypeORM's table loader report the columns of `hiddenColumns` with the dimensions the
 * entity wants, so its diff leaves them to the ALTER of `VectorPlan.before`. Once per DataSource.
 */
function hideDimensionChanges(dataSource: DataSource): void {
  if (hiddenColumns.has(dataSource)) return;
  hiddenColumns.set(dataSource, []);
  fixLoadedTables(dataSource.driver, async (tables) => {
    const hidden = hiddenColumns.get(dataSource) ?? [];
    if (!hidden.length) return;
    for (const table of tables) {
      const name = tableParts(table.name).name;
      for (const column of table.columns) {
        const change = hidden.find((h) => h.table === name && h.column === column.name);
        if (change) column.length = change.length;
      }
    }
  });
}

/** `statements` with `comment` (a `/* typeorm-vector: ... *\/` SQL comment, which generated migrations keep) before the first. */
function commented(comment: string, statements: string[]): string[] {
  if (!statements.length) return statements;
  const [first, ...rest] = statements;
  return [`/* typeorm-vector: ${comment.replace(/\*\//g, '* /')} */ ${first!}`, ...rest];
}

/**
 * TypeORM's schema builder plus the vector schema, compared by meaning: `build()` (synchronize)
 * and `log()` (what `migration:generate` writes) create the missing `@VectorIndex` indexes after
 * TypeORM's own changes, and adopt an existing index that means what its `@VectorIndex` asks for
 * (kind, column, metric, settings with the backend's defaults filled in) with no DDL. An index
 * that differs is dropped and rebuilt, the migration saying in a comment which option differs,
 * with the old definition restored exactly in `down`. A vector index no `@VectorIndex` declares is
 * kept (one warning) unless `undeclaredVectorIndexes` is `drop`. A vector column whose dimensions
 * change (pgvector's unconstrained `vector` to `vector(N)`) is altered in place, its indexes
 * dropped before and recreated after, instead of TypeORM's DROP COLUMN and ADD.
 *
 * @example
 * const sql = await dataSource.driver.createSchemaBuilder().log(); // on a VectorDataSource
 */
export class VectorSchemaBuilder implements SchemaBuilder {
  constructor(
    private readonly inner: SchemaBuilder,
    private readonly dataSource: DataSource,
    private readonly dialect: VectorDialect,
    private readonly undeclared: UndeclaredVectorIndexes = 'keep',
  ) {}

  async build(): Promise<void> {
    await this.requireExtension();
    const plan = await this.plan();
    await this.run(plan.before.up, 'Changing vector column dimensions during synchronize', 'make every stored vector fit the @VectorColumn dimensions');
    await this.inner.build();
    await this.restoreKept(plan.kept);
    await this.run(plan.after.up, 'Recreating vector indexes after a table copy during synchronize', 'check the @VectorIndex options');
    // Planned again: TypeORM may just have created the tables.
    const { changes } = await this.plan();
    for (const change of changes) await this.run(change.up, `Creating vector index '${change.name}' during synchronize`, 'check the @VectorIndex options');
  }

  /**
   * Fails synchronize with the fix when entities have vector columns and the database lacks the
   * vector type or functions (pgvector not created in it), before TypeORM meets a cryptic
   * `type "vector" does not exist` halfway through its changes.
   */
  private async requireExtension(): Promise<void> {
    const check = this.dialect.ddl?.extensionCheck;
    if (!check || !this.dataSource.entityMetadatas.some((entity) => entity.columns.some((column) => findVectorColumn(column.target, column.propertyName)))) return;
    try {
      await this.dataSource.query(check.sql);
    } catch (error) {
      throw new VectorConfigurationError(`synchronize cannot create vector columns: ${this.dialect.capabilities.name} has no vector type or functions in this database; ${check.advice}.`, { cause: error });
    }
  }

  async log(): Promise<SqlInMemory> {
    const plan = await this.plan();
    hideDimensionChanges(this.dataSource);
    hiddenColumns.set(this.dataSource, plan.hidden);
    let memory: SqlInMemory;
    try {
      memory = await this.inner.log();
    } finally {
      hiddenColumns.set(this.dataSource, []);
    }
    memory.upQueries.unshift(...plan.before.up.map(sqlQuery));
    // migration:generate reverses the down list: what runs last goes first, reversed.
    memory.downQueries.unshift(...[...plan.before.down].reverse().map(sqlQuery));
    memory.upQueries.push(...plan.after.up.map(sqlQuery));
    // Runs first in down: before TypeORM's copy back.
    memory.downQueries.push(...[...plan.after.down].reverse().map(sqlQuery));
    for (const change of plan.changes) {
      memory.upQueries.push(...change.up.map(sqlQuery));
      // Each change's down is added reversed: at the end (it runs first), or, where TypeORM copies
      // the table, at the start, so that it runs after the copy back, which drops vec0's triggers again.
      const down = [...change.down].reverse().map(sqlQuery);
      if (this.rebuilds(memory, change.table)) memory.downQueries.unshift(...down);
      else memory.downQueries.push(...down);
    }
    if (this.undeclared === 'drop') await this.restoreDroppedIndexes(memory);
    this.followTableRebuilds(memory, new Set([...plan.changes.map((change) => change.name), ...plan.handledIndexes]), plan.kept);
    return memory;
  }

  /** After synchronize's own changes: a kept index a table copy dropped (libSQL) or unhooked (vec0's triggers) comes back as it was. */
  private async restoreKept(kept: VectorPlan['kept']): Promise<void> {
    if (!kept.length) return;
    const { ddl } = indexSupport(this.dialect);
    const escape = escapeOf(this.dataSource);
    const queryRunner = this.dataSource.createQueryRunner();
    const lost: string[] = [];
    try {
      for (const { table, index, definition } of kept) {
        const listed = await vectorIndexesOnTable(this.dataSource, queryRunner, this.dialect, table, {});
        if (!listed.some((each) => each.name === index.name)) lost.push(...(ddl.afterTableRebuild?.(definition, escape, index) ?? []));
      }
    } finally {
      await queryRunner.release();
    }
    await this.run(lost, 'Bringing back a vector index no @VectorIndex declares after a table copy during synchronize', 'declare it with @VectorIndex');
  }

  private async run(statements: readonly string[], action: string, advice: string): Promise<void> {
    if (!statements.length) return;
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      await runStatements(queryRunner, statements, action, advice);
    } finally {
      await queryRunner.release();
    }
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
  private followTableRebuilds(memory: SqlInMemory, planned: ReadonlySet<string>, kept: VectorPlan['kept']): void {
    const { ddl } = indexSupport(this.dialect);
    const escape = escapeOf(this.dataSource);
    // A kept index (no @VectorIndex) comes back as it was, after the copy in up and the copy back in down.
    for (const { index, definition } of kept) {
      if (planned.has(index.name) || !this.rebuilds(memory, definition.table)) continue;
      const again = ddl.afterTableRebuild?.(definition, escape, index) ?? [];
      memory.upQueries.push(...commented(`brings back vector index ${index.name}, which no @VectorIndex declares, after the table copy`, again).map(sqlQuery));
      memory.downQueries.unshift(...[...again].reverse().map(sqlQuery));
    }
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
   * Reads the catalog of every entity table and plans: undeclared vector indexes kept (registered
   * with TypeORM as unsynchronized, one warning each), column dimension changes, and for each
   * `@VectorIndex` nothing (the index means the same), a creation, or a change (drop and rebuild).
   */
  private async plan(): Promise<VectorPlan> {
    const plan: VectorPlan = { before: { up: [], down: [] }, after: { up: [], down: [] }, handledIndexes: [], kept: [], changes: [], hidden: [] };
    const entities = this.entities();
    if (!entities.length || !this.dialect.ddl || !this.dialect.capabilities.indexes) return plan;
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const serverDefaults = await serverIndexDefaults(queryRunner, this.dialect);
      for (const entity of entities) {
        const catalog = await vectorIndexesOnTable(this.dataSource, queryRunner, this.dialect, entity.tablePath, serverDefaults);
        const attached = vectorIndexesOf(entity);
        const declared = new Set([...attached.map((a) => a.definition.name), ...entity.indices.map((index) => index.name)]);
        if (this.undeclared === 'keep') for (const index of catalog) if (!declared.has(index.name)) this.keep(entity, index, plan);
        const kept = (index: CatalogVectorIndex) => this.undeclared === 'keep' || attached.some((a) => a.definition.name === index.name);
        const handled = await this.planDimensionChanges(queryRunner, entity, catalog.filter(kept), plan);
        for (const index of attached) {
          if (handled.has(index.definition.column)) continue;
          const change = await this.planIndex(queryRunner, index.definition, catalog);
          if (change) plan.changes.push(change);
        }
      }
      return plan;
    } finally {
      await queryRunner.release();
    }
  }

  /** Creation, change or nothing for one `@VectorIndex`, against the index of its name. */
  private async planIndex(queryRunner: QueryRunner, definition: VectorIndexDefinition, catalog: readonly CatalogVectorIndex[]): Promise<PlannedChange | undefined> {
    const { ddl } = indexSupport(this.dialect);
    const escape = escapeOf(this.dataSource);
    const { up, down } = definitionSql(this.dialect, definition, escape);
    const listed = catalog.find((index) => index.name === definition.name);
    const existing = listed ?? (await this.existingByName(queryRunner, definition));
    if (existing === 'unreadable') return undefined;
    if (!existing) return { name: definition.name, table: definition.table, up, down };
    const differences = indexDifferences(this.dialect, existing, definition);
    if (!differences.length && !listed && ddl.afterTableRebuild) {
      // The same vec0 table without its triggers (made by hand, or a table copy lost them): adopted, and the triggers added.
      const triggers = ddl.afterTableRebuild(definition, escape);
      const dropTriggers = ddl.dropIndex(definition, escape).filter((statement) => statement.startsWith('DROP TRIGGER'));
      if (!triggers.length) return undefined;
      return { name: definition.name, table: definition.table, up: commented(`adopts ${definition.name}, adding the triggers that keep it in step with ${definition.table}`, triggers), down: dropTriggers };
    }
    if (!differences.length || !ddl.existingIndex) return undefined;
    const dropOld = ddl.dropIndex({ ...definition, name: existing.name, settings: { ...definition.settings, concurrently: false } }, escape);
    const { before, after } = this.indexDimensionChange(existing, definition, escape);
    return {
      name: definition.name,
      table: definition.table,
      up: commented(`vector index ${definition.name} differs from its @VectorIndex (${differences.join(', ')}): dropped and rebuilt`, [...before, ...dropOld, ...up]),
      down: commented(`restores vector index ${existing.name} as it was`, [...after, ...down, ...ddl.existingIndex.recreate(existing, definition, escape)]),
    };
  }

  /**
   * Where only the index knows the dimensions (vec0 on a BLOB column) and they change: what must run
   * before the index is refilled, each way (`prepareIndexDimensions`), with the re-embed comment.
   */
  private indexDimensionChange(existing: CatalogVectorIndex, definition: VectorIndexDefinition, escape: EscapeIdentifier): { before: string[]; after: string[] } {
    const prepare = indexSupport(this.dialect).ddl.prepareIndexDimensions;
    const from = existing.meaning?.dimensions ?? existing.dimensions;
    const to = definition.dimensions;
    if (!prepare || from === undefined || to === undefined || from === to) return { before: [], after: [] };
    const entity = this.dataSource.entityMetadatas.find((metadata) => metadata.tablePath === definition.table);
    const column = entity?.columns.find((c) => c.databaseName === definition.column);
    const change = { table: definition.table, column: definition.column, nullable: column?.isNullable ?? false, primaryColumns: entity?.primaryColumns.map((p) => p.databaseName) ?? [] };
    const note = (to: number) => `vectors of ${definition.table}.${definition.column} must have ${to} dimensions: re-embed them (a nullable column's others are set to NULL, a NOT NULL column's stop this migration)`;
    return {
      before: commented(note(to), prepare({ ...change, from, to }, escape)),
      after: commented(note(from), prepare({ ...change, from: to, to: from }, escape)),
    };
  }

  /**
   * An index of `definition`'s name that the table's listing does not show (a vec0 table whose
   * triggers a table copy lost): read from its `indexExists` row where that row has its SQL, else
   * `unreadable` (left alone, as before).
   */
  private async existingByName(queryRunner: QueryRunner, definition: VectorIndexDefinition): Promise<CatalogVectorIndex | 'unreadable' | undefined> {
    const { indexExists, readVectorIndexes } = this.dialect.introspection;
    if (!indexExists) return 'unreadable';
    const { sql, parameters } = indexExists(definition, escapeOf(this.dataSource));
    const [row] = await queryRows(queryRunner, sql, parameters);
    if (!row) return undefined;
    if (typeof row.sql !== 'string' || !readVectorIndexes) return 'unreadable';
    return readVectorIndexes([{ name: definition.name, definition: row.sql }])[0] ?? 'unreadable';
  }

  /**
   * A vector index no `@VectorIndex` declares: registered with TypeORM as unsynchronized (so its
   * diff does not drop it), and one warning naming it and the `@VectorIndex` that would adopt it.
   */
  private keep(entity: EntityMetadata, index: CatalogVectorIndex, plan: VectorPlan): void {
    const column = entity.columns.find((c) => c.databaseName === index.column);
    // An index on a column the entity no longer has goes with the column.
    if (!column) return;
    registerUnsynchronizedIndex(this.dataSource, entity, column, index.name);
    const meaning = index.meaning;
    const dimensions = findVectorColumn(column.target, column.propertyName)?.dimensions ?? meaning?.dimensions ?? 0;
    plan.kept.push({
      table: entity.tablePath,
      index,
      definition: {
        table: entity.tablePath,
        column: column.databaseName,
        name: index.name,
        kind: meaning?.kind ?? index.kind ?? indexSupport(this.dialect).capabilities.defaultKind,
        metric: meaning?.metric ?? index.metric ?? 'l2',
        dimensions,
        settings: { ...meaning?.settings, concurrently: false } as VectorIndexDefinition['settings'],
        filterColumns: [...(meaning?.filterColumns ?? [])],
        partitionKey: meaning?.partitionKey,
        elementType: meaning?.elementType ?? findVectorColumn(column.target, column.propertyName)?.type ?? 'float32',
        storage: meaning?.storage,
      },
    });
    let seen = warned.get(this.dataSource);
    if (!seen) warned.set(this.dataSource, (seen = new Set()));
    const key = `${entity.tablePath}.${index.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const options = vectorIndexOptionsFor(this.dialect, index, findVectorColumn(column.target, column.propertyName)?.dimensions);
    const adopt = options ? `declare it with @VectorIndex(${options}) on ${entity.name}.${column.propertyName} to adopt it` : `declare an equivalent @VectorIndex on ${entity.name}.${column.propertyName} or drop it yourself`;
    this.dataSource.logger.log(
      'warn',
      `typeorm-vector keeps vector index ${index.name} on ${entity.tablePath}.${column.databaseName}, which no @VectorIndex declares (TypeORM would drop it); ${adopt}, or pass { undeclaredVectorIndexes: 'drop' } to VectorDataSource to let TypeORM drop it.`,
    );
  }

  /**
   * Each `@VectorColumn` of `entity` whose dimensions in the database differ from its own, where
   * the backend changes them in place: its vector indexes (`onTable`) dropped, the column altered,
   * the `@VectorIndex`es of the column created and the other indexes recreated; `down` the reverse.
   * Where TypeORM changes the column by copying the table (libSQL), the same around its copy, with
   * the old vectors guarded or cleared before it instead of the ALTER.
   * Returns the changed columns (database names), whose indexes this plan handled.
   */
  private async planDimensionChanges(queryRunner: QueryRunner, entity: EntityMetadata, onTable: readonly CatalogVectorIndex[], plan: VectorPlan): Promise<Set<string>> {
    const handled = new Set<string>();
    const { ddl, introspection } = this.dialect;
    const inPlace = ddl?.alterColumnDimensions !== undefined;
    if ((!inPlace && !ddl?.prepareDimensionCopy) || !introspection.column || !introspection.readColumn) return handled;
    const escape = escapeOf(this.dataSource);
    for (const column of entity.columns) {
      const spec = findVectorColumn(column.target, column.propertyName);
      if (!spec) continue;
      const { sql, parameters } = introspection.column(entity.tablePath, column.databaseName, escape);
      const info = introspection.readColumn(await queryRows(queryRunner, sql, parameters));
      if (!info || info.dimensions === spec.dimensions) continue;
      // In place: a column of the type the entity declares (pgvector's vector, halfvec, bit, sparsevec; MariaDB's vector); by copy: a column that declares its dimensions (F32_BLOB(N)).
      if (inPlace ? info.type !== elementTypeSupport(this.dialect, spec.type).column.type.toLowerCase() : info.dimensions === undefined) continue;
      handled.add(column.databaseName);
      this.planDimensionChange(entity, column, { from: info.dimensions, to: spec.dimensions, nullable: info.nullable, elementType: spec.type }, onTable, plan);
    }
    return handled;
  }

  private planDimensionChange(
    entity: EntityMetadata,
    column: ColumnMetadata,
    dims: { from: number | undefined; to: number; nullable: boolean; elementType: VectorElementType },
    onTable: readonly CatalogVectorIndex[],
    plan: VectorPlan,
  ): void {
    const { ddl } = indexSupport(this.dialect);
    const escape = escapeOf(this.dataSource);
    const table = entity.tablePath;
    const existing = onTable.filter((index) => index.column === column.databaseName);
    const declared: AttachedVectorIndex[] = vectorIndexesOf(entity).filter((a) => a.definition.column === column.databaseName);
    const undeclared = existing.filter((index) => !declared.some((a) => a.definition.name === index.name));
    const anyDefinition = (name: string): VectorIndexDefinition => {
      const base = declared[0]?.definition;
      const meaning = existing.find((index) => index.name === name)?.meaning;
      return {
        table,
        column: column.databaseName,
        name,
        kind: meaning?.kind ?? base?.kind ?? indexSupport(this.dialect).capabilities.defaultKind,
        metric: meaning?.metric ?? base?.metric ?? 'l2',
        dimensions: dims.to,
        elementType: meaning?.elementType ?? base?.elementType ?? 'float32',
        storage: meaning ? meaning.storage : base?.storage,
        settings: { ...(base?.settings ?? {}), concurrently: false },
        filterColumns: base?.filterColumns ?? [],
        partitionKey: base?.partitionKey,
      };
    };
    const dropExisting = existing.flatMap((index) => ddl.dropIndex(anyDefinition(index.name), escape));
    const recreateExisting = (which: readonly CatalogVectorIndex[]) => which.flatMap((index) => ddl.existingIndex?.recreate(index, anyDefinition(index.name), escape) ?? []);
    const primaryColumns = entity.primaryColumns.map((c) => c.databaseName);
    const change = { table, column: column.databaseName, nullable: dims.nullable, primaryColumns, elementType: dims.elementType };
    const createDeclared = declared.flatMap((a) => ddl.createIndex({ ...a.definition, settings: { ...a.definition.settings, concurrently: false } }, escape));
    const dropDeclared = declared.flatMap((a) => ddl.dropIndex({ ...a.definition, settings: { ...a.definition.settings, concurrently: false } }, escape));
    const dropUndeclared = undeclared.flatMap((index) => ddl.dropIndex(anyDefinition(index.name), escape));
    const what =
      dims.from === undefined
        ? `${table}.${column.databaseName} changes from an unconstrained vector to ${dims.to} dimensions (a guard names the rows of another dimension count)`
        : `${table}.${column.databaseName} changes from ${dims.from} to ${dims.to} dimensions: existing vectors must be re-embedded (${dims.nullable ? 'they are cleared to NULL' : 'a guard refuses rows while any are stored'})`;
    const restores = `restores ${table}.${column.databaseName} to ${dims.from ?? 'unconstrained'} dimensions`;
    if (!ddl.alterColumnDimensions) {
      // TypeORM copies the table (its DROP TABLE drops the indexes): the vectors are guarded (first) or cleared (after the drops, which makes the clearing cheap) before.
      const prepareUp = ddl.prepareDimensionCopy!({ ...change, from: dims.from, to: dims.to }, escape);
      const prepareDown = ddl.prepareDimensionCopy!({ ...change, from: dims.to, to: dims.from }, escape);
      const ordered = (prepare: string[], drops: string[]) => (dims.nullable ? [...drops, ...prepare] : [...prepare, ...drops]);
      const copy = existing.length || declared.length ? `, and its vector indexes, which the table copy drops, are recreated after it` : '';
      plan.before.up.push(...commented(`${what}: the vectors are checked before TypeORM copies the table${copy}`, ordered(prepareUp, existing.flatMap((index) => ddl.dropIndex(anyDefinition(index.name), escape)))));
      plan.after.up.push(...commented(`recreates the vector indexes of ${table}.${column.databaseName} after the table copy`, [...createDeclared, ...recreateExisting(undeclared)]));
      plan.after.down.push(...commented(`${restores}: the vectors are checked before TypeORM copies the table back`, ordered(prepareDown, [...dropDeclared, ...dropUndeclared])));
      plan.before.down.push(...commented(`recreates the vector indexes of ${table}.${column.databaseName} as they were`, recreateExisting(existing)));
      plan.handledIndexes.push(...declared.map((a) => a.definition.name), ...existing.map((index) => index.name));
      return;
    }
    const alterUp = ddl.alterColumnDimensions({ ...change, from: dims.from, to: dims.to }, escape);
    const alterDown = ddl.alterColumnDimensions({ ...change, from: dims.to, to: dims.from }, escape);
    const indexes = existing.length || declared.length ? '; its vector indexes are dropped first and recreated after' : '';
    // The guard (or the clearing) runs before any index is dropped: MariaDB's DDL is not transactional.
    const [checkUp, changeUp] = [alterUp.slice(0, -1), alterUp.slice(-1)];
    const [checkDown, changeDown] = [alterDown.slice(0, -1), alterDown.slice(-1)];
    plan.before.up.push(...commented(`${what}${indexes}`, [...checkUp, ...dropExisting, ...changeUp, ...createDeclared, ...recreateExisting(undeclared)]));
    plan.before.down.push(
      ...commented(restores, [
        ...checkDown,
        ...dropDeclared,
        ...dropUndeclared,
        ...changeDown,
        ...recreateExisting(existing),
      ]),
    );
    plan.hidden.push({ table: tableParts(table).name, column: column.databaseName, length: String(dims.to) });
  }

  /**
   * With `undeclaredVectorIndexes: 'drop'`, TypeORM drops a vector index its metadata does not
   * know and, in `down`, recreates it without its method and operator class. Where the catalog has
   * the exact definition (PostgreSQL, libSQL), that `down` statement is replaced by it.
   */
  private async restoreDroppedIndexes(memory: SqlInMemory): Promise<void> {
    if (!this.dialect.ddl?.existingIndex) return;
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      for (const entity of this.entities()) {
        for (const index of await readTableIndexes(queryRunner, this.dialect, entity.tablePath, escapeOf(this.dataSource), {})) {
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
