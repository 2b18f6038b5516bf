import type { VectorMetric } from '../../vocabulary';
import type { VectorSql } from '../dialect';

const OPERATORS: Record<VectorMetric, string> = { l2: '<->', cosine: '<=>', inner_product: '<#>', l1: '<+>', hamming: '<~>', jaccard: '<%>' };

/**
 * pgvector's distance operators: `<->` (L2), `<=>` (cosine), `<#>` (negative inner product), `<+>`
 * (L1), and on `bit` `<~>` (Hamming) and `<%>` (Jaccard). An index with `storage: 'halfvec'` is
 * on `column::halfvec(N)`: its queries cast both sides the same way. One with `storage: 'binary'`
 * is on `binary_quantize(column)::bit(N)`: its candidates are the rows of the `k` nearest codes by
 * Hamming distance, `(id) IN (SELECT id FROM t ORDER BY codes <~> binary_quantize(v)::bit(N) LIMIT k)`. The planner picks an HNSW or IVFFlat index of the same operator class by itself; search
 * settings are `set_config(name, value, true)` (`SET LOCAL`) in the query's transaction, and an
 * exact search turns index scans off for the rest of it.
 *
 * @example
 * postgresSql.distance('cosine', '"doc"."embedding"', 'CAST($1 AS vector)');
 * // ("doc"."embedding" <=> CAST($1 AS vector))
 * postgresSql.searchSettings!({ efSearch: 40, iterativeScan: 'relaxed_order' });
 * // { 'hnsw.ef_search': '40', 'hnsw.iterative_scan': 'relaxed_order', 'ivfflat.iterative_scan': 'relaxed_order' }
 */
export const postgresSql: VectorSql = {
  distance: (metric, columnSql, vectorSql) => `(${columnSql} ${OPERATORS[metric]} ${vectorSql})`,
  indexStorage: {
    halfvec: (sql, dimensions) => `CAST(${sql} AS halfvec(${dimensions}))`,
    binary: (sql, dimensions) => `CAST(binary_quantize(${sql}) AS bit(${dimensions}))`,
  },
  rerankCandidates: {
    binary({ aliasSql, tableSql, primaryColumnsSql, columnSql, vectorSql, kSql, dimensions }) {
      const codes = (sql: string) => `CAST(binary_quantize(${sql}) AS bit(${dimensions}))`;
      const keys = (alias: string) => primaryColumnsSql.map((key) => `${alias}.${key}`).join(', ');
      return `(${keys(aliasSql)}) IN (SELECT ${keys('"tv_candidate"')} FROM ${tableSql} "tv_candidate" ORDER BY (${codes(`"tv_candidate".${columnSql}`)} <~> ${codes(vectorSql)}) LIMIT ${kSql})`;
    },
  },
  transactionSettings: {
    set(settings) {
      const names = Object.keys(settings);
      return {
        sql: `SELECT ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ') || '1'}`,
        parameters: names.flatMap((name) => [name, settings[name]!]),
      };
    },
    read: (names) => ({ sql: `SELECT ${names.map((_, i) => `current_setting($${i + 1}, true) AS s${i}`).join(', ')}`, parameters: [...names] }),
    // Names come from searchSettings and exactScan only (letters, dots, underscores).
    reset: (name) => `SET LOCAL ${name} TO DEFAULT`,
    exactScan: { enable_indexscan: 'off' },
    preferIndex: { set: { enable_seqscan: 'off' }, undo: { enable_seqscan: 'on' } },
    // As SET TRANSACTION READ ONLY does, in the same set_config statement as the search's settings.
    readOnly: { transaction_read_only: 'on' },
    session: ['hnsw.ef_search', 'hnsw.iterative_scan', 'ivfflat.iterative_scan', 'hnsw.max_scan_tuples', 'ivfflat.probes', 'ivfflat.max_probes'],
  },
  searchSettings(tuning) {
    const settings: Record<string, string> = {};
    if (tuning.efSearch !== undefined) settings['hnsw.ef_search'] = String(tuning.efSearch);
    if (tuning.iterativeScan !== undefined) {
      settings['hnsw.iterative_scan'] = tuning.iterativeScan;
      // IVFFlat scans iteratively in relaxed order only.
      settings['ivfflat.iterative_scan'] = tuning.iterativeScan === 'off' ? 'off' : 'relaxed_order';
    }
    if (tuning.maxScanTuples !== undefined) settings['hnsw.max_scan_tuples'] = String(tuning.maxScanTuples);
    if (tuning.probes !== undefined) settings['ivfflat.probes'] = String(tuning.probes);
    if (tuning.maxProbes !== undefined) settings['ivfflat.max_probes'] = String(tuning.maxProbes);
    return settings;
  },
};
