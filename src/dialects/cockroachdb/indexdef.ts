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

const IDENTIFIER = '"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*';
const KEY = new RegExp(`^(${IDENTIFIER})(?: (ASC|DESC))?(?: (\\w+_ops))?$`);

/** A column name as the catalog writes it, unquoted. */
function unquoted(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/**
 * The parts of a CockroachDB vector index definition as `pg_indexes.indexdef` writes it
 * (`CREATE INDEX i ON db.public.t USING cspann (tenant_id ASC, embedding vector_cosine_ops) WITH
 * (...)`): its prefix columns, its vector column (the last key), the metric of its operator class
 * (none written: `vector_l2_ops`, CockroachDB's default) and its storage parameters; undefined
 * when it is not a C-SPANN index this reads.
 *
 * @example
 * parseCspannIndexdef('CREATE INDEX i ON app.public.doc USING cspann (tenant_id ASC, embedding vector_ip_ops)');
 * // { prefixColumns: ['tenant_id'], column: 'embedding', metric: 'inner_product', storageParameters: {} }
 */
export function parseCspannIndexdef(
  indexdef: string,
): { prefixColumns: string[]; column: string; metric: VectorMetric; storageParameters: Record<string, string> } | undefined {
  const match = / USING cspann \((.*?)\)(?: WITH \((.*)\))?$/.exec(indexdef);
  if (!match) return undefined;
  const keys = match[1]!.split(',').map((key) => KEY.exec(key.trim()));
  if (!keys.length || keys.some((key) => !key)) return undefined;
  const last = keys.at(-1)!;
  const metric = (Object.keys(OPERATOR_CLASSES) as VectorMetric[]).find((candidate) => OPERATOR_CLASSES[candidate] === (last[3] ?? 'vector_l2_ops'));
  if (!metric) return undefined;
  const storageParameters = Object.fromEntries(
    (match[2] ?? '')
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => pair.replace(/'/g, '').split('=').map((part) => part.trim()) as [string, string]),
  );
  return { prefixColumns: keys.slice(0, -1).map((key) => unquoted(key![1]!)), column: unquoted(last[1]!), metric, storageParameters };
}

/**
 * What a CockroachDB vector index definition means, defaults filled in, or undefined when it is
 * not a C-SPANN index on one column: an index with prefix columns (which typeorm-vector does not
 * create) serves only queries that fix each prefix column, so it never means what a
 * `@VectorIndex` asks for.
 *
 * @example
 * cockroachdbIndexMeaning('CREATE INDEX i ON app.public.doc USING cspann (embedding vector_cosine_ops)');
 * // { kind: 'cspann', column: 'embedding', metric: 'cosine', settings: { minPartitionSize: 16, maxPartitionSize: 128, buildBeamSize: 8 }, elementType: 'float32' }
 */
export function cockroachdbIndexMeaning(indexdef: string): IndexMeaning | undefined {
  const parsed = parseCspannIndexdef(indexdef);
  if (!parsed || parsed.prefixColumns.length) return undefined;
  const settings: Record<string, number | string> = {};
  for (const [option, parameter] of Object.entries(STORAGE_PARAMETERS)) settings[option] = Number(parsed.storageParameters[parameter.name] ?? parameter.default);
  // A storage parameter the library has no option for keeps its own name.
  const known = Object.values(STORAGE_PARAMETERS).map((parameter) => parameter.name);
  for (const [key, value] of Object.entries(parsed.storageParameters)) if (!known.includes(key)) settings[key] = value;
  return { kind: 'cspann', column: parsed.column, metric: parsed.metric, settings, elementType: 'float32' };
}
