import type { DataSource } from 'typeorm';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import type { VectorDialect } from './dialect';
import { mariadbDialect } from './mariadb';
import { mysqlDialect } from './mysql';

/**
 * The dialect for a server's `VERSION()` text: MariaDB 11.7+ (its version names MariaDB, e.g.
 * `11.8.3-MariaDB-log`) or MySQL 9+; older servers have no VECTOR type and are refused.
 *
 * @example
 * mysqlFamilyDialectForVersion('11.8.3-MariaDB-ubu2404').name; // 'MariaDB'
 * mysqlFamilyDialectForVersion('9.1.0').name;                  // 'MySQL'
 * mysqlFamilyDialectForVersion('8.0.36');                      // throws UnsupportedVectorFeatureError
 */
export function mysqlFamilyDialectForVersion(version: string): VectorDialect {
  const match = /^(\d+)\.(\d+)/.exec(version);
  const isMariadb = /mariadb/i.test(version);
  if (!match) {
    throw new VectorConfigurationError(
      `The server reported version ${JSON.stringify(version)}, which typeorm-vector cannot read; connect to MariaDB 11.7+ or MySQL 9+.`,
    );
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (isMariadb) {
    if (major < 11 || (major === 11 && minor < 7)) {
      throw new UnsupportedVectorFeatureError(
        `MariaDB ${version} has no VECTOR type; upgrade to MariaDB 11.7 or later (11.8 is the tested LTS).`,
      );
    }
    return mariadbDialect;
  }
  if (major < 9) {
    throw new UnsupportedVectorFeatureError(`MySQL ${version} has no VECTOR type; use MySQL 9.0 or later, or MariaDB 11.7 or later for search.`);
  }
  return mysqlDialect;
}

/**
 * Asks a connected mysql2 DataSource (TypeORM `type: 'mysql'` or `'mariadb'`, either of which may
 * reach either server) which server it talks to, and returns that server's dialect.
 *
 * @example
 * (await detectMysqlFamilyDialect(dataSource)).name; // 'MariaDB'
 */
export async function detectMysqlFamilyDialect(dataSource: DataSource): Promise<VectorDialect> {
  let rows: Array<{ version?: unknown }>;
  try {
    rows = await dataSource.query('SELECT VERSION() AS version');
  } catch (error) {
    throw new VectorConfigurationError(
      'typeorm-vector could not run SELECT VERSION() to tell MariaDB from MySQL; check that the connection works and may run queries.',
      { cause: error },
    );
  }
  return mysqlFamilyDialectForVersion(String(rows[0]?.version ?? ''));
}
