import type { DataSourceOptions } from 'typeorm';
import { dialectOf } from '../../dialects';
import type { ConnectionSetup } from './connection-setup';
import { fixVectorDimensionsOnLoad } from '../vector-table-loader';

/**
 * MariaDB and MySQL through mysql2: nothing to load; on TypeORM releases that do not know the
 * `vector` type, vector dimensions are read from the catalog (see vector-table-loader.ts).
 *
 * @example
 * mysql2Setup({ type: 'mariadb', url }).options;
 */
export function mysql2Setup(options: DataSourceOptions): ConnectionSetup {
  return {
    options,
    async afterMetadata(dataSource, { driverKnowsVector }) {
      if (!driverKnowsVector) fixVectorDimensionsOnLoad(dataSource, dialectOf(dataSource));
    },
  };
}
