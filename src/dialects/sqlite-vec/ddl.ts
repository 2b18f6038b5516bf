import { UnsupportedVectorFeatureError } from '../../errors';
import { escapeTable, type VectorElementType, type VectorIndexDefinition, type VectorIndexStorage, type VectorMetric } from '../../vocabulary';
import type { VectorDdl } from '../dialect';
import { sqliteDimensionChange } from '../shared/sqlite-dimension-change';
import { readVec0Declaration } from './vec0-declaration';

const VEC0_METRICS: Partial<Record<VectorMetric, string>> = { l2: 'l2', cosine: 'cosine', l1: 'l1' };

/**
 * vec0's column type per element type, and how a value of the entity table is marked with it (a
 * table BLOB carries no type: vec0 reads an unmarked one as float32). A bit column takes no
 * `distance_metric` (Hamming is its only distance).
 */
const VEC0_TYPES: Partial<Record<VectorElementType, { readonly type: string; readonly mark: (value: string) => string; readonly metric: boolean }>> = {
  float32: { type: 'float', mark: (value) => value, metric: true },
  int8: { type: 'int8', mark: (value) => `vec_int8(${value})`, metric: true },
  bit: { type: 'bit', mark: (value) => `vec_bit(${value})`, metric: false },
};

/** vec0 parses its own column list: a name is a letter, then letters, digits and underscores. */
const VEC0_COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Columns every vec0 table already has (`rowid`, and the hidden `distance` and `k` of a KNN query). */
const VEC0_RESERVED_COLUMNS = ['rowid', 'distance', 'k'];

/**
 * sqlite-vec has no index on ordinary tables. Kind `vec0` creates a `vec0` virtual table (`<name>`,
 * rowid = the entity row's rowid) holding a copy of the column, and of its filter columns (the
 * partition key first, declared `partition key`; then metadata columns), fills it from the existing
 * rows, and keeps it in step with three triggers on the entity table (`<name>_insert`,
 * `<name>_update`, `<name>_delete`), so every write path (repository, query builder, raw SQL)
 * updates it. An UPDATE of any column rewrites the row's vec0 copy.
 *
 * @example
 * sqliteVecDdl.createIndex(definition, escape)[0];
 * // 'CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0(embedding float[64] distance_metric=cosine)'
 * // with filterColumns [{ column: 'tenant_id', type: 'integer' }, { column: 'category', type: 'text' }] and partitionKey 'tenant_id':
 * // 'CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0(embedding float[64] distance_metric=cosine, tenant_id integer partition key, category text)'
 */
export const sqliteVecDdl: VectorDdl = {
  createExtension: [],
  dropExtension: [],
  extensionCheck: {
    sql: 'SELECT vec_version() AS version',
    advice:
      'create the DataSource with new VectorDataSource(options), which loads sqlite-vec into every connection, or load it yourself with prepareDatabase: loadSqliteVec (npm install sqlite-vec)',
  },
  checkDefinition(index) {
    if (index.storage === 'binary' && index.dimensions !== undefined && index.dimensions % 8 !== 0) {
      throw new UnsupportedVectorFeatureError(
        `A SQLite (sqlite-vec) storage: 'binary' index needs a multiple of 8 dimensions (vec_quantize_binary packs whole bytes) but ${index.table}.${index.column} has ${index.dimensions}; leave storage out.`,
      );
    }
    for (const name of [index.column, ...index.filterColumns.map((f) => f.column)]) {
      if (!VEC0_COLUMN_NAME.test(name) || VEC0_RESERVED_COLUMNS.includes(name.toLowerCase())) {
        throw new UnsupportedVectorFeatureError(
          `A SQLite (sqlite-vec) 'vec0' index cannot hold a column named ${JSON.stringify(name)} (vec0 needs a letter, then letters, digits and underscores, and not ${VEC0_RESERVED_COLUMNS.join(', ')}); rename the column (e.g. @Column({ name: 'doc_${name.replace(/\W/g, '') || 'x'}' })).`,
        );
      }
    }
  },
  createIndex(index, escape) {
    const vec = escape(index.name);
    const table = escapeTable(index.table, escape);
    const trigger = (suffix: string) => escape(`${index.name}_${suffix}`);
    const columns = copiedColumns(index).map(escape);
    const names = columns.join(', ');
    const { mark } = vec0Type(index);
    const values = (prefix: string) => columns.map((column, i) => (i === 0 ? mark(`${prefix}${column}`) : `${prefix}${column}`)).join(', ');
    const newValues = values('NEW.');
    const vector = columns[0]!;
    return [
      `CREATE VIRTUAL TABLE ${vec} USING vec0(${vec0Columns(index)})`,
      `INSERT INTO ${vec}(rowid, ${names}) SELECT rowid, ${values('')} FROM ${table} WHERE ${vector} IS NOT NULL`,
      `CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${table} WHEN NEW.${vector} IS NOT NULL BEGIN INSERT INTO ${vec}(rowid, ${names}) VALUES (NEW.rowid, ${newValues}); END`,
      `CREATE TRIGGER ${trigger('update')} AFTER UPDATE ON ${table} BEGIN DELETE FROM ${vec} WHERE rowid = OLD.rowid; INSERT INTO ${vec}(rowid, ${names}) SELECT NEW.rowid, ${newValues} WHERE NEW.${vector} IS NOT NULL; END`,
      `CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${table} BEGIN DELETE FROM ${vec} WHERE rowid = OLD.rowid; END`,
    ];
  },
  // The BLOB column holds any length; the vec0 table refuses the old vectors when it is refilled for new dimensions.
  prepareIndexDimensions: sqliteDimensionChange,
  afterTableRebuild(index, escape, existing) {
    // The vec0 table survives the copy; its triggers, on the copied table, do not.
    const definition = existing ? existingDefinition(existing.definition, index) : index;
    return sqliteVecDdl.createIndex(definition, escape).filter((statement) => statement.startsWith('CREATE TRIGGER'));
  },
  // IF EXISTS on the triggers only: a table copy (SQLite's ALTER) drops them and leaves the vec0 table.
  dropIndex(index, escape) {
    const trigger = (suffix: string) => `DROP TRIGGER IF EXISTS ${escape(`${index.name}_${suffix}`)}`;
    return [trigger('delete'), trigger('update'), trigger('insert'), `DROP TABLE ${escape(index.name)}`];
  },
  existingIndex: {
    // Same name, table and column: the fill and triggers copy the columns the existing declaration lists.
    recreate: (existing, index, escape) => [existing.definition, ...sqliteVecDdl.createIndex(existingDefinition(existing.definition, index), escape).slice(1)],
  },
};

/** The columns a vec0 table copies from the entity table, in its declaration order: vector, partition key, metadata. */
function copiedColumns(index: VectorIndexDefinition): string[] {
  return [index.column, ...orderedFilterColumns(index).map((f) => f.column)];
}

function orderedFilterColumns(index: VectorIndexDefinition) {
  return [...index.filterColumns.filter((f) => f.column === index.partitionKey), ...index.filterColumns.filter((f) => f.column !== index.partitionKey)];
}

/** `embedding float[64] distance_metric=cosine, tenant_id integer partition key, category text`: vec0 reads the names unquoted (checkDefinition). */
function vec0Columns(index: VectorIndexDefinition): string {
  const filters = orderedFilterColumns(index).map((f) => `${f.column} ${f.type}${f.column === index.partitionKey ? ' partition key' : ''}`);
  const { type, metric } = vec0Type(index);
  return [`${index.column} ${type}[${index.dimensions}]${metric ? ` distance_metric=${VEC0_METRICS[index.metric]!}` : ''}`, ...filters].join(', ');
}

/**
 * vec0's column per index storage of a float32 column: `binary`, its sign bits
 * (`vec_quantize_binary`, 1 where the element is positive) in a `bit[N]` column; `int8`, its
 * elements in [-1, 1] as 256 levels (`vec_quantize_int8(..., 'unit')`: -1 -> -128, 0 -> 0, 1 -> 126,
 * above 1 clamped to 127, below -1 to -128) in an `int8[N]` column searched by the index's metric.
 */
const VEC0_STORAGE: Partial<Record<VectorIndexStorage, { readonly type: string; readonly mark: (value: string) => string; readonly metric: boolean }>> = {
  binary: { type: 'bit', mark: (value) => `vec_quantize_binary(${value})`, metric: false },
  int8: { type: 'int8', mark: (value) => `vec_quantize_int8(${value}, 'unit')`, metric: true },
};

function vec0Type(index: VectorIndexDefinition): NonNullable<(typeof VEC0_TYPES)[VectorElementType]> {
  const stored = index.storage && VEC0_STORAGE[index.storage];
  if (stored) return stored;
  const found = VEC0_TYPES[index.elementType];
  if (!found) throw new UnsupportedVectorFeatureError(`A SQLite (sqlite-vec) 'vec0' index cannot hold ${index.elementType} vectors; use type 'float32', 'int8' or 'bit'.`);
  return found;
}

/** `index` with the filter columns an existing vec0 declaration lists (so a faithful `down` copies what it declares). */
function existingDefinition(sql: string, index: VectorIndexDefinition): VectorIndexDefinition {
  const declared = readVec0Declaration(sql);
  return declared ? { ...index, filterColumns: declared.filterColumns, partitionKey: declared.partitionKey } : index;
}
