import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { ReplicationMode } from 'typeorm/driver/types/ReplicationMode';
import type { TableColumn } from 'typeorm/schema-builder/table/TableColumn';
import { elementTypeSupport } from '../../dialects';
import { libsqlDialect } from '../../dialects/libsql';
import { allowColumnType, SqliteDriverBase } from '../../typeorm-internals';
import { openLibsqlClient, type LibsqlClient } from './libsql-client';
import { localFilePath, type LibsqlConnectionOptions } from './libsql-options';
import { LibsqlQueryRunner } from './libsql-query-runner';

/** libSQL's vector column types (`F32_BLOB`, `F16_BLOB`, `F1BIT_BLOB`: one per element type it stores), as TypeORM's SQLite schema reader reports them (lower case). */
const VECTOR_BLOBS = libsqlDialect.capabilities.elementTypes.map((type) => elementTypeSupport(libsqlDialect, type).column.type.toLowerCase());

/**
 * A TypeORM driver for libSQL through `@libsql/client`: TypeORM's SQLite driver logic (types,
 * escaping, schema diffing) with the connection and query runner replaced. `VectorDataSource`
 * installs it for options made by `libsql()`; you do not construct it yourself.
 *
 * @example
 * const dataSource = new VectorDataSource({ ...libsql({ url: 'file:app.db' }), entities: [Doc] });
 * dataSource.driver instanceof LibsqlDriver; // true
 */
export class LibsqlDriver extends SqliteDriverBase {
  declare databaseConnection: LibsqlClient;
  declare queryRunner?: LibsqlQueryRunner;
  /** The libSQL connection options this driver opens. */
  readonly libsqlConnection: Readonly<LibsqlConnectionOptions>;

  constructor(dataSource: DataSource, connection: Readonly<LibsqlConnectionOptions>) {
    super(dataSource);
    this.libsqlConnection = connection;
    this.database = connection.url;
    for (const type of VECTOR_BLOBS) allowColumnType(this, type);
  }

  override createQueryRunner(_mode: ReplicationMode): LibsqlQueryRunner {
    this.queryRunner ??= new LibsqlQueryRunner(this);
    return this.queryRunner;
  }

  override async disconnect(): Promise<void> {
    this.queryRunner = undefined;
    this.databaseConnection.close();
  }

  /** `F32_BLOB` (`F16_BLOB`, `F1BIT_BLOB`) in any case is `f32_blob` (`f16_blob`, `f1bit_blob`), the spelling the schema reader gives back, so a second sync sees no change. */
  override normalizeType(column: Parameters<SqliteDriverBase['normalizeType']>[0]): string {
    const type = super.normalizeType(column);
    return VECTOR_BLOBS.includes(type.toLowerCase()) ? type.toLowerCase() : type;
  }

  /** Writes vector columns as `F32_BLOB(N)`, `F16_BLOB(N)` or `F1BIT_BLOB(N)`, with no space before the parenthesis (a space breaks libSQL's vector index). */
  override createFullType(column: TableColumn): string {
    if (VECTOR_BLOBS.includes(column.type.toLowerCase())) return `${column.type.toUpperCase()}(${column.length})`;
    return super.createFullType(column);
  }

  protected override async createDatabaseConnection(): Promise<LibsqlClient> {
    const file = localFilePath(this.libsqlConnection.url);
    if (file) await mkdir(path.dirname(file), { recursive: true });
    return openLibsqlClient(this.libsqlConnection);
  }
}
