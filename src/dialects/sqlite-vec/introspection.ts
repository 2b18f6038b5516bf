import { tableParts } from '../../vocabulary';
import type { VectorIntrospection } from '../dialect';
import { sqliteIntrospection } from '../shared/sqlite-catalog';
import { readVec0Declaration } from './vec0-declaration';

/**
 * sqlite-vec's catalog queries. A `vec0` index of a table is a vec0 virtual table whose insert
 * trigger (`<name>_insert`) is on that table: the catalog ties them together by that trigger.
 *
 * @example
 * sqliteVecIntrospection.vectorIndexesOnTable!('document').parameters; // ['document']
 */
export const sqliteVecIntrospection: VectorIntrospection = {
  ...sqliteIntrospection('table'),
  vectorIndexesOnTable(table) {
    return {
      sql:
        "SELECT v.name AS name, v.sql AS definition, t.sql AS fill FROM sqlite_master v JOIN sqlite_master t ON t.type = 'trigger' AND t.name = v.name || '_insert' " +
        "WHERE v.type = 'table' AND v.sql LIKE '%USING vec0(%' AND t.tbl_name = ?",
      parameters: [tableParts(table).name],
    };
  },
  readVectorIndexes(rows) {
    return rows.map((row) => {
      const definition = String(row.definition);
      const declared = readVec0Declaration(definition);
      // A bit[N] table its insert trigger fills with vec_quantize_binary(...) holds a float32 column's codes: storage 'binary';
      // an int8[N] table filled with vec_quantize_int8(...): storage 'int8'.
      const fill = String(row.fill ?? '');
      const storage =
        declared?.elementType === 'bit' && /vec_quantize_binary\(/i.test(fill) ? ('binary' as const) : declared?.elementType === 'int8' && /vec_quantize_int8\(/i.test(fill) ? ('int8' as const) : undefined;
      return {
        name: String(row.name),
        definition,
        column: declared?.column,
        kind: 'vec0',
        metric: declared?.metric,
        ...(storage ? { storage } : {}),
        ...(declared ? { dimensions: declared.dimensions } : {}),
        ...(declared?.metric
          ? {
              meaning: {
                kind: 'vec0' as const,
                column: declared.column,
                metric: declared.metric,
                settings: {},
                dimensions: declared.dimensions,
                ...(storage ? { storage } : { elementType: declared.elementType }),
                filterColumns: declared.filterColumns,
                partitionKey: declared.partitionKey,
              },
            }
          : {}),
      };
    });
  },
};
