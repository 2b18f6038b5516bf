import type { VectorMetric } from '../../vocabulary';
import type { IndexMeaning } from '../dialect';

/** CockroachDB's operator class per metric (cockroachlabs.com/docs/v25.3/vector-indexes, "Specify an opclass"). */
export const OPERATOR_CLASSES: Readonly<Partial<Record<VectorMetric, string>>> = { l2: 'vector_l2_ops', cosine: 'vector_cosine_ops', inner_product: 'vector_ip_ops' };

/** CockroachDB's storage parameter names by `@VectorIndex` option name, and their defaults. */
export const STORAGE_PARAMETERS: Readonly<Record<string, { readonly name: string; readonly default: number }>> = {
  minPartitionSize: { name: 'min_partition_size', default: 16 },
  maxPartitionSize: { name: 'max_partition_size', default: 128 },
  buildBeamSize: { name: 'build_beam_size', default: 8 },
};

/**
 * What a CockroachDB vector index definition means, as `pg_indexes.indexdef` writes it
 * (`CREATE INDEX i ON db.public.t USING cspann (embedding vector_cosine_ops) WITH (...)`), its
 * defaults filled in (no operator class: `vector_l2_ops`), or undefined when it is not a C-SPANN
 * index on one column (an index with prefix columns, which typeorm-vector does not create, is read
 * as undefined and left alone).
 *
 * @example
 * cockroachdbIndexMeaning('CREATE INDEX i ON app.public.doc USING cspann (embedding vector_cosine_ops)');
 * // { kind: 'cspann', column: 'embedding', metric: 'cosine', settings: { minPartitionSize: 16, maxPartitionSize: 128, buildBeamSize: 8 } }
 */
export function cockroachdbIndexMeaning(indexdef: string): IndexMeaning | undefined {
  const match = / USING cspann \(("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)(?: (\w+))?\)(?: WITH \((.*)\))?$/.exec(indexdef);
  if (!match) return undefined;
  const [, rawColumn, operatorClass = 'vector_l2_ops', withClause = ''] = match as unknown as [string, string, string | undefined, string | undefined];
  const metric = (Object.keys(OPERATOR_CLASSES) as VectorMetric[]).find((candidate) => OPERATOR_CLASSES[candidate] === operatorClass);
  if (!metric) return undefined;
  const written = Object.fromEntries(
    withClause
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => pair.replace(/'/g, '').split('=').map((part) => part.trim()) as [string, string]),
  );
  const settings: Record<string, number | string> = {};
  for (const [option, parameter] of Object.entries(STORAGE_PARAMETERS)) settings[option] = Number(written[parameter.name] ?? parameter.default);
  // A storage parameter the library has no option for keeps its own name.
  const known = Object.values(STORAGE_PARAMETERS).map((parameter) => parameter.name);
  for (const [key, value] of Object.entries(written)) if (!known.includes(key)) settings[key] = value;
  const column = rawColumn.startsWith('"') ? rawColumn.slice(1, -1).replace(/""/g, '"') : rawColumn;
  return { kind: 'cspann', column, metric, settings, elementType: 'float32' };
}
