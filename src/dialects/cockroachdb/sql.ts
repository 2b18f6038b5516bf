import type { VectorMetric } from '../../vocabulary';
import type { VectorSql } from '../dialect';

/** The operators a vector index serves (cockroachlabs.com/docs/v25.3/vector.md, "Syntax"). */
const OPERATORS: Partial<Record<VectorMetric, string>> = { l2: '<->', cosine: '<=>', inner_product: '<#>' };

/**
 * CockroachDB's distances: the pgvector operators `<->` (L2), `<=>` (cosine) and `<#>` (negative
 * inner product), which its optimizer answers from a vector index of the same operator class, and
 * the `l1_distance()` builtin for L1 (CockroachDB has no `<+>`; no index serves L1). Search
 * settings are `SET LOCAL` in the search's own transaction (CockroachDB 21.2+, undone by ROLLBACK
 * TO SAVEPOINT as PostgreSQL does); the only one is `vector_search_beam_size`. An exact search on a
 * column with a vector index casts the distance to DECIMAL: the optimizer matches only a bare
 * distance operator under ORDER BY ... LIMIT, and folds `+ 0` away (its FoldPlusZero rule), so
 * MariaDB's trick would not hide the index here.
 *
 * @example
 * cockroachdbSql.distance('cosine', '"doc"."embedding"', 'CAST($1 AS vector)'); // ("doc"."embedding" <=> CAST($1 AS vector))
 * cockroachdbSql.searchSettings!({ beamSize: 64 });                            // { vector_search_beam_size: '64' }
 */
export const cockroachdbSql: VectorSql = {
  distance: (metric, columnSql, vectorSql) => {
    const operator = OPERATORS[metric];
    // The metric was checked against the capabilities before any SQL is built: only l1 is left.
    return operator ? `(${columnSql} ${operator} ${vectorSql})` : `l1_distance(${columnSql}, ${vectorSql})`;
  },
  unindexedDistance: (distanceSql) => `CAST(${distanceSql} AS DECIMAL)`,
  transactionSettings: {
    // Names come from searchSettings only (letters and underscores) and values are validated integers:
    // SET takes no parameters.
    set(settings) {
      const statements = Object.entries(settings).map(([name, value]) => `SET LOCAL ${name} = ${value}`);
      return { sql: statements.join('; ') || 'SELECT 1', parameters: [] };
    },
    read: (names) => ({ sql: `SELECT ${names.map((_, i) => `current_setting($${i + 1}, true) AS s${i}`).join(', ')}`, parameters: [...names] }),
    reset: (name) => `SET LOCAL ${name} = DEFAULT`,
    // An exact search hides the distance from the index (unindexedDistance); no setting is needed.
    exactScan: {},
    readOnly: 'SET TRANSACTION READ ONLY',
  },
  searchSettings: (tuning): Record<string, string> => (tuning.beamSize === undefined ? {} : { vector_search_beam_size: String(tuning.beamSize) }),
};
