import type { Writable } from 'node:stream';
import { VectorConfigurationError } from '../errors';

/** What the library uses of `pg-copy-streams` (structural, so nobody installs it to use another backend). */
export interface PgCopyStreams {
  from(sql: string): Writable & { readonly rowCount?: number };
}

/** A `pg` client, as far as COPY needs it: it runs a submittable query and returns it. */
export interface PgCopyClient {
  query<T>(query: T): T;
}

let loaded: PgCopyStreams | undefined;

/**
 * The `pg-copy-streams` module, loaded on first use; an optional peer dependency needed only by
 * `insertVectors` on PostgreSQL. Throws `VectorConfigurationError` saying how to install it.
 *
 * @example
 * const stream = client.query(pgCopyStreams().from('COPY doc (id) FROM STDIN WITH (FORMAT binary)'));
 */
export function pgCopyStreams(): PgCopyStreams {
  if (loaded) return loaded;
  try {
    loaded = require('pg-copy-streams') as PgCopyStreams;
  } catch (error) {
    throw new VectorConfigurationError(
      'insertVectors on PostgreSQL streams rows through COPY with the pg-copy-streams package, which could not be loaded; run npm install pg-copy-streams.',
      { cause: error },
    );
  }
  return loaded;
}
