import type { DataSourceOptions } from 'typeorm';
import { cockroachdbDialect } from '../../dialects/cockroachdb';
import type { ConnectionSetup } from './connection-setup';
import { fixVectorDimensionsOnLoad } from '../vector-table-loader';

/**
 * CockroachDB through `pg` (TypeORM's `cockroachdb` driver): nothing to load, no type parser (the
 * column arrives as pgvector text, which the codec reads exactly). TypeORM's CockroachDB driver
 * knows no `vector` type on any release, so the dimensions of loaded `vector` columns are read from
 * `format_type` (see vector-table-loader.ts), as on TypeORM releases that did not know it on
 * PostgreSQL.
 *
 * @example
 * const setup = cockroachdbSetup({ type: 'cockroachdb', url, timeTravelQueries: false }); new DataSource(setup.options);
 */
export function cockroachdbSetup(options: DataSourceOptions): ConnectionSetup {
  return {
    options,
    async afterMetadata(dataSource, { driverKnowsVector }) {
      if (!driverKnowsVector) fixVectorDimensionsOnLoad(dataSource, cockroachdbDialect);
    },
  };
}
