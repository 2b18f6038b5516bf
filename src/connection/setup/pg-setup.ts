import type { DataSource, DataSourceOptions } from 'typeorm';
import { parsePgvectorText } from '../../codecs';
import { postgresDialect } from '../../dialects/postgres';
import { listenAfterQuery } from '../../typeorm-internals';
import type { ConnectionSetup } from './connection-setup';
import { fixVectorDimensionsOnLoad } from '../vector-table-loader';

type TypeParser = (text: string) => unknown;
interface PgTypes {
  getTypeParser(oid: number, format?: string): TypeParser;
}

const EXTENSION_DDL = /\b(CREATE|DROP|ALTER)\s+EXTENSION\b/i;

/**
 * PostgreSQL through `pg`: makes the driver parse `vector` values itself (into Float32Array), since
 * TypeORM's PostgreSQL driver turns vector text into `number[]` and then skips column transformers
 * (losing `as: 'float32array'` and exact float32 values). The `vector` type's OID is read after
 * `initialize()` and read again after any `CREATE`/`DROP`/`ALTER EXTENSION` the DataSource runs, on
 * the same connection, so dropping and recreating pgvector on a live DataSource keeps working.
 * On TypeORM releases that do not know the `vector` type it also creates the extension on connect
 * and reads vector dimensions from the catalog (see vector-table-loader.ts); `sparsevec`
 * dimensions are read from the catalog on every release.
 *
 * @example
 * const setup = pgSetup({ type: 'postgres', url }); new DataSource(setup.options);
 */
export function pgSetup(options: DataSourceOptions): ConnectionSetup {
  const vectorOids = new Set<number>();
  const extra = (options as { extra?: Record<string, unknown> }).extra ?? {};
  const fallback = (extra.types as PgTypes | undefined) ?? (require('pg') as { types: PgTypes }).types;
  const types: PgTypes = {
    getTypeParser: (oid, format) => (vectorOids.has(oid) ? (text: string) => parsePgvectorText(text, 'A vector value') : fallback.getTypeParser(oid, format)),
  };
  const readOids = async (query: (sql: string, parameters: unknown[]) => Promise<unknown>) => {
    const { sql, parameters } = postgresDialect.introspection.vectorTypeOids!;
    const rows = (await query(sql, parameters)) as Array<{ oid: number | string }>;
    // Added, never cleared: an OID read inside a transaction that rolls back stays parseable, and
    // the one that survives is there too (PostgreSQL does not reuse a dropped type's OID soon).
    for (const row of rows) vectorOids.add(Number(row.oid));
  };
  return {
    options: { ...options, extra: { ...extra, types } } as DataSourceOptions,
    async afterMetadata(dataSource, { driverKnowsVector, hasVectorColumns }) {
      // No TypeORM release reads a sparsevec(N) column's N back, so its columns are always fixed.
      fixVectorDimensionsOnLoad(dataSource, postgresDialect, driverKnowsVector ? ['sparsevec'] : ['vector', 'sparsevec']);
      if (!driverKnowsVector && hasVectorColumns) await createExtensionOnConnect(dataSource);
    },
    async afterInitialize(dataSource) {
      await readOids((sql, parameters) => dataSource.query(sql, parameters));
      // A promise only after extension DDL: other queries have nothing to await.
      listenAfterQuery(dataSource, (event) => (event.success && EXTENSION_DDL.test(event.query) ? readOids((sql, parameters) => event.queryRunner.query(sql, parameters)) : undefined));
    },
  };
}

/**
 * What TypeORM 0.3.27+ and 1.x do on connect when entities have vector columns: `CREATE EXTENSION
 * IF NOT EXISTS "vector"`, unless `installExtensions: false`; a failure (no privilege) is logged as
 * a warning, as TypeORM does, and the extension must then be installed by hand.
 */
async function createExtensionOnConnect(dataSource: DataSource): Promise<void> {
  if ((dataSource.options as { installExtensions?: boolean }).installExtensions === false) return;
  for (const statement of postgresDialect.ddl!.createExtension) {
    try {
      await dataSource.query(statement);
    } catch (error) {
      dataSource.logger.log(
        'warn',
        `typeorm-vector could not run ${statement} (${error instanceof Error ? error.message : String(error)}); install pgvector in this database as a superuser.`,
      );
    }
  }
}
