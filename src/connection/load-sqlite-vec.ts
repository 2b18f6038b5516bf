import { VectorConfigurationError } from '../errors';

/** A SQLite connection that can load an extension (better-sqlite3's `Database`, sqlite3's `Database`). */
export interface ExtensionLoadingDatabase {
  loadExtension(path: string, ...rest: never[]): unknown;
}

interface SqliteVecModule {
  getLoadablePath(): string;
}

let sqliteVecModule: SqliteVecModule | undefined;

/**
 * The path of sqlite-vec's loadable extension, from the `sqlite-vec` package.
 *
 * @example
 * sqliteVecPath(); // '/app/node_modules/sqlite-vec-linux-x64/vec0.so'
 */
export function sqliteVecPath(): string {
  if (!sqliteVecModule) {
    try {
      sqliteVecModule = require('sqlite-vec') as SqliteVecModule;
    } catch (cause) {
      throw new VectorConfigurationError(
        'The sqlite-vec package is not installed, so vectors cannot be used on SQLite; run npm install sqlite-vec.',
        { cause },
      );
    }
  }
  return sqliteVecModule.getLoadablePath();
}

/**
 * Loads sqlite-vec into a better-sqlite3 connection (synchronously).
 *
 * @example
 * new DataSource({ type: 'better-sqlite3', database: 'app.db', prepareDatabase: loadSqliteVec });
 */
export function loadSqliteVec(db: ExtensionLoadingDatabase): void {
  const path = sqliteVecPath();
  try {
    db.loadExtension(path);
  } catch (cause) {
    throw new VectorConfigurationError(
      `Loading sqlite-vec from ${path} failed; check that the sqlite-vec package matches this platform.`,
      { cause },
    );
  }
}

/**
 * Loads sqlite-vec into a node `sqlite3` connection, whose `loadExtension` takes a callback.
 *
 * @example
 * await loadSqliteVecAsync(sqlite3Database);
 */
export function loadSqliteVecAsync(db: { loadExtension(path: string, callback: (error: Error | null) => void): unknown }): Promise<void> {
  const path = sqliteVecPath();
  return new Promise((resolve, reject) => {
    db.loadExtension(path, (error) =>
      error
        ? reject(new VectorConfigurationError(`Loading sqlite-vec from ${path} failed; check that the sqlite-vec package matches this platform.`, { cause: error }))
        : resolve(),
    );
  });
}
