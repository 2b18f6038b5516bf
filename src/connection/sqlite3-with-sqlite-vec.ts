import { VectorConfigurationError } from '../errors';
import { describeValue } from '../vocabulary';
import { loadSqliteVecAsync } from './load-sqlite-vec';

type Callback = (error: Error | null) => void;

/** The part of a node `sqlite3` `Database` this file uses (structural, so `sqlite3` stays optional). */
interface Sqlite3Database {
  loadExtension(path: string, callback: Callback): unknown;
  close(callback?: Callback): unknown;
}

/**
 * The part of the node `sqlite3` module TypeORM 0.3's `sqlite` driver uses: `verbose()` and `Database`.
 *
 * @example
 * const wrapped: Sqlite3Module = sqlite3WithSqliteVec(require('sqlite3'));
 */
export interface Sqlite3Module {
  verbose(): Sqlite3Module;
  Database: new (filename: string, ...rest: never[]) => Sqlite3Database;
}

const wrappers = new WeakMap<Sqlite3Module, Sqlite3Module>();
const wrapped = new WeakSet<Sqlite3Module>();

/**
 * Wraps the node `sqlite3` module so that every database it opens has sqlite-vec loaded before the
 * open callback fires, that is before TypeORM's first statement on the connection. Pass the result
 * as the `driver` option of a TypeORM 0.3 `type: 'sqlite'` DataSource; `VectorDataSource` does this
 * itself. Unlike a subscriber, it also covers the TypeORM CLI's migration commands, which clear
 * `subscribers`, and it fails `initialize()` when sqlite-vec cannot be loaded.
 *
 * @example
 * import sqlite3 from 'sqlite3';
 * new DataSource({ type: 'sqlite', database: 'app.db', driver: sqlite3WithSqliteVec(sqlite3) });
 */
export function sqlite3WithSqliteVec(sqlite3: Sqlite3Module): Sqlite3Module {
  if (wrapped.has(sqlite3)) return sqlite3;
  const existing = wrappers.get(sqlite3);
  if (existing) return existing;
  if (typeof sqlite3?.Database !== 'function' || typeof sqlite3.verbose !== 'function') {
    throw new VectorConfigurationError(
      `The driver option of a 'sqlite' DataSource is ${describeValue(sqlite3)}, which has no Database class and verbose(); pass the node sqlite3 module, require('sqlite3').`,
    );
  }
  const Base = sqlite3.Database;
  class DatabaseWithSqliteVec extends Base {
    constructor(filename: string, ...rest: unknown[]) {
      const callback = typeof rest[rest.length - 1] === 'function' ? (rest.pop() as Callback) : undefined;
      let self: Sqlite3Database | undefined;
      // sqlite3 calls the open callback asynchronously, after this constructor has returned.
      super(filename, ...(rest as never[]), ((error: Error | null) => {
        if (error) return callback?.(error);
        loadSqliteVecAsync(self!).then(
          () => callback?.(null),
          (loadError: Error) => {
            self!.close();
            callback?.(loadError);
          },
        );
      }) as never);
      self = this;
    }
  }
  const module: Sqlite3Module = Object.assign(Object.create(sqlite3) as Sqlite3Module, {
    Database: DatabaseWithSqliteVec,
    verbose: () => sqlite3WithSqliteVec(sqlite3.verbose()),
  });
  wrappers.set(sqlite3, module);
  wrapped.add(module);
  return module;
}

/**
 * The installed node `sqlite3` module, wrapped by `sqlite3WithSqliteVec`.
 *
 * @example
 * new DataSource({ type: 'sqlite', database: 'app.db', driver: installedSqlite3WithSqliteVec() });
 */
export function installedSqlite3WithSqliteVec(): Sqlite3Module {
  let sqlite3: Sqlite3Module;
  try {
    sqlite3 = require('sqlite3') as Sqlite3Module;
  } catch (cause) {
    throw new VectorConfigurationError(
      "The sqlite3 package is not installed, so a DataSource of type 'sqlite' (TypeORM 0.3 only) cannot open; run npm install sqlite3, or use type 'better-sqlite3'.",
      { cause },
    );
  }
  return sqlite3WithSqliteVec(sqlite3);
}
