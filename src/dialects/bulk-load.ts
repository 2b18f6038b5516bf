/**
 * How `insertVectors` loads many rows into one backend, as data and pure functions (the bulk layer
 * runs them): `copy` streams them through PostgreSQL's COPY, `insert` sends multi-row INSERTs of
 * at most `maxParameters` bound values each.
 *
 * @example
 * const sqlite: BulkLoadDialect = { kind: 'insert', maxParameters: 32766, returning: true };
 */
export type BulkLoadDialect = { readonly kind: 'copy'; readonly copy: CopyFormat } | BulkInsertDialect;

/** Multi-row INSERTs: how many values one statement binds, and how keys come back. */
export interface BulkInsertDialect {
  readonly kind: 'insert';
  /** Most bound values in one statement. */
  readonly maxParameters: number;
  /** Whether `INSERT ... RETURNING` gives the generated keys back. */
  readonly returning: boolean;
  /**
   * Whether statements go through the driver connection's own `execute` (mysql2's binary protocol:
   * vectors travel as bytes, not as hex inside the SQL text; about 3x faster on MariaDB) rather than
   * the query runner's `query`.
   */
  readonly execute?: boolean;
}

/**
 * Turns one non-null column value (as TypeORM's driver prepares it for a write, or a validated
 * vector) into its binary COPY field bytes, or throws a one-sentence error naming `subject`.
 */
export type BinaryFieldEncoder = (value: unknown, subject: string) => Buffer;

/**
 * Checks one non-null column value as its `BinaryFieldEncoder` would, throwing the same error, but
 * encodes nothing: for checking every row before the first is sent.
 */
export type BinaryFieldCheck = (value: unknown, subject: string) => void;

/** PostgreSQL's COPY formats: which column types have a binary form, and how each format writes rows. */
export interface CopyFormat {
  /**
   * The binary encoder for a column of database type `type` (as TypeORM's driver normalises it:
   * `integer`, `character varying`, `vector`), or undefined where the type has no simple binary form
   * (the whole load then goes through text COPY).
   */
  binaryField(type: string): BinaryFieldEncoder | undefined;
  /**
   * For a column of `type` whose binary form is cheaper to check than to write (text, numbers,
   * booleans), the check alone; undefined otherwise (encoding the value with `binaryField` checks it).
   */
  binaryCheck(type: string): BinaryFieldCheck | undefined;
  /**
   * For a column of `type` whose binary form a validated float32 vector writes in place (`vector`),
   * its byte length and writer; undefined otherwise (the column's `binaryField` encodes it).
   */
  binaryVector(type: string): BinaryVectorWriter | undefined;
  /** A writer of binary tuples into one buffer per chunk, starting with room for `capacity` bytes (it grows as needed). */
  binaryTuples(capacity: number): BinaryTupleWriter;
  /** The signature and header flags that start a binary COPY stream. */
  readonly binaryHeader: Buffer;
  /** The -1 field count that ends it. */
  readonly binaryTrailer: Buffer;
  /** One value as a text COPY field, escaped (`null`: `\N`); `type` as for `binaryField`. */
  textField(value: unknown, type: string): string;
  /** The `COPY table (columns) FROM STDIN` statement of a format. */
  statement(tableSql: string, columnsSql: readonly string[], format: 'binary' | 'text'): string;
}

/**
 * Writes a checked float32 vector's binary form in place (a Float32Array, or a `number[]` or other
 * numeric typed array whose elements `checkVector` passed, rounded to float32 as written):
 * `length(dimensions)` bytes at `offset` of `out`, returning the offset after it.
 */
export interface BinaryVectorWriter {
  length(dimensions: number): number;
  write(vector: ArrayLike<number>, out: Buffer, offset: number): number;
}

/**
 * Binary COPY tuples written into one buffer: per tuple its field count, then each field's length
 * and bytes (`null`: SQL NULL). One buffer of a chunk's rows instead of small buffers per field.
 */
export interface BinaryTupleWriter {
  /** Starts a tuple of `fields` fields. */
  tuple(fields: number): void;
  /** A field's bytes, or SQL NULL. */
  field(bytes: Uint8Array | null): void;
  /** A checked float32 vector field, written in place by `writer`. */
  vectorField(vector: ArrayLike<number>, writer: BinaryVectorWriter): void;
  /** The tuples written since the last `take`, as one Buffer that the writer no longer touches. */
  take(): Buffer;
}
