import { isVectorMetric, type VectorElementType, type VectorIndexFilterColumn, type VectorMetric } from '../../vocabulary';

/**
 * What a `CREATE VIRTUAL TABLE ... USING vec0(...)` statement declares.
 *
 * @example
 * const declared: Vec0Declaration | undefined = readVec0Declaration(String(row.sql));
 * declared?.filterColumns.map((f) => f.column); // ['tenant_id', 'category']
 */
export interface Vec0Declaration {
  /** The vector column. */
  column: string;
  dimensions: number;
  /** The element type of its `float[N]`, `int8[N]` or `bit[N]` column. */
  elementType: VectorElementType;
  /** `distance_metric=`, or vec0's default `l2`; undefined for a metric the library does not know. */
  metric: VectorMetric | undefined;
  /** Metadata and partition key columns, in declaration order, with their vec0 types. */
  filterColumns: VectorIndexFilterColumn[];
  partitionKey: string | undefined;
}

const VECTOR = /^"?([A-Za-z_][A-Za-z0-9_]*)"?\s+(float|int8|bit)\[(\d+)\](?:\s+distance_metric\s*=\s*([a-z0-9_]+))?$/i;
const ELEMENT_TYPES: Readonly<Record<string, VectorElementType>> = { float: 'float32', int8: 'int8', bit: 'bit' };
const FILTER = /^"?([A-Za-z_][A-Za-z0-9_]*)"?\s+([a-z0-9]+)(\s+partition\s+key)?$/i;

/**
 * Reads the vector column, metric and filter columns of a vec0 declaration as `sqlite_master`
 * keeps it (the text `sqliteVecDdl.createIndex` wrote), or undefined when it is not one.
 *
 * @example
 * readVec0Declaration('CREATE VIRTUAL TABLE "v" USING vec0(embedding float[3] distance_metric=cosine, tenant_id integer partition key, category text)');
 * // { column: 'embedding', dimensions: 3, elementType: 'float32', metric: 'cosine', filterColumns: [{ column: 'tenant_id', type: 'integer' }, { column: 'category', type: 'text' }], partitionKey: 'tenant_id' }
 */
export function readVec0Declaration(sql: string): Vec0Declaration | undefined {
  const body = /USING\s+vec0\s*\(([\s\S]*)\)\s*$/i.exec(sql)?.[1];
  if (body === undefined) return undefined;
  const [first = '', ...rest] = body.split(',').map((part) => part.trim());
  const vector = VECTOR.exec(first);
  if (!vector) return undefined;
  const elementType = ELEMENT_TYPES[vector[2]!.toLowerCase()]!;
  // A bit column has one distance, Hamming; the others default to l2.
  const metric = (vector[4] ?? (elementType === 'bit' ? 'hamming' : 'l2')).toLowerCase();
  const declaration: Vec0Declaration = {
    column: vector[1]!,
    dimensions: Number(vector[3]),
    elementType,
    metric: isVectorMetric(metric) ? metric : undefined,
    filterColumns: [],
    partitionKey: undefined,
  };
  for (const part of rest) {
    const filter = FILTER.exec(part);
    // Auxiliary (+) columns, table options and anything else the library never writes are skipped.
    if (!filter) continue;
    declaration.filterColumns.push({ column: filter[1]!, type: filter[2]!.toLowerCase() });
    if (filter[3]) declaration.partitionKey ??= filter[1]!;
  }
  return declaration;
}
