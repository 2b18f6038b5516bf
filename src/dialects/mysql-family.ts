import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import type { VectorDialect } from './dialect';
import { mariadbDialect } from './mariadb';
import { mysqlDialect } from './mysql';

/**
 * The query that tells MariaDB from MySQL behind mysql2, and how to read its answer.
 *
 * @example
 * mysqlFamilyDialectForVersion('11.8.3-MariaDB-ubu2404').capabilities.name; // 'MariaDB'
 */
export const MYSQL_FAMILY_VERSION_QUERY = 'SELECT VERSION() AS version';

/**
 * The dialect for a server's `VERSION()` text: MariaDB 11.7+ (its version names MariaDB, e.g.
 * `11.8.3-MariaDB-log`) or MySQL 9+; older servers have no VECTOR type and are refused.
 *
 * @example
 * mysqlFamilyDialectForVersion('11.8.3-MariaDB-ubu2404').id; // 'mariadb'
 * mysqlFamilyDialectForVersion('9.1.0').id;                  // 'mysql'
 * mysqlFamilyDialectForVersion('8.0.36');                      // throws UnsupportedVectorFeatureError
 */
export function mysqlFamilyDialectForVersion(version: string): VectorDialect {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) {
    throw new VectorConfigurationError(`The server reported version ${JSON.stringify(version)}, which typeorm-vector cannot read; connect to MariaDB 11.7+ or MySQL 9+.`);
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (/mariadb/i.test(version)) {
    if (major < 11 || (major === 11 && minor < 7)) {
      throw new UnsupportedVectorFeatureError(`MariaDB ${version} has no VECTOR type; upgrade to MariaDB 11.7 or later (11.8 is the tested LTS).`);
    }
    return mariadbDialect;
  }
  if (major < 9) {
    throw new UnsupportedVectorFeatureError(`MySQL ${version} has no VECTOR type; use MySQL 9.0 or later, or MariaDB 11.7 or later for search.`);
  }
  return mysqlDialect;
}
