/**
 * Base class of every error typeorm-vector throws. Each message is one sentence that names the
 * offending value and the fix; a driver error, when there is one, is kept as `cause`.
 *
 * @example
 * try { await repo.save(doc); } catch (e) { if (e instanceof VectorError) console.error(e.message); }
 */
export class VectorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A vector has the wrong number of dimensions, or a column was declared with an impossible count.
 *
 * @example
 * // "Doc.embedding expects 384 dimensions but the vector has 3; pass a vector of length 384."
 */
export class VectorDimensionError extends VectorError {}

/**
 * A vector holds a value that is not a finite number, is empty, or is not a vector at all.
 *
 * @example
 * // "Doc.embedding element 2 is NaN; every element must be a finite number."
 */
export class VectorValueError extends VectorError {}

/**
 * The backend cannot do what was asked (a metric, an index kind, a dimension count past its limit).
 *
 * @example
 * // "SQLite (sqlite-vec) has no inner product distance; use 'cosine' on normalised vectors instead."
 */
export class UnsupportedVectorFeatureError extends VectorError {}

/**
 * A column reference or option does not match the entity metadata (unknown alias or property,
 * a property that is not a @VectorColumn, a DataSource that typeorm-vector did not set up).
 *
 * @example
 * // "Unknown property 'embeding' on alias 'doc' (entity Doc); use one of: embedding, draft."
 */
export class VectorConfigurationError extends VectorError {}

/**
 * A migration helper's DDL failed on the database (the driver's error is the `cause`), or the
 * schema is not what the helper needs (a missing or nullable column).
 *
 * @example
 * // "Creating vector index 'document_embedding_hnsw_cosine' failed (relation \"document\" does not exist); create the table first."
 */
export class VectorMigrationError extends VectorError {}

/**
 * `insertVectors` failed on the database (a constraint, a lost connection): nothing it sent was
 * kept, and the driver's error is the `cause`.
 *
 * @example
 * // "insertVectors into doc failed after sending 2000 of 5000 rows (duplicate key value violates unique constraint \"doc_pkey\"); no row was written: fix the rows and load them again."
 */
export class VectorBulkLoadError extends VectorError {}

/**
 * A query that should read a vector index does not (`assertIndexUsed`): the message lists why,
 * each cause with its fix, and `explanation` keeps the plan.
 *
 * @example
 * // "findNearest on Doc.embedding (cosine) reads no vector index: the HNSW index doc_embedding_hnsw_l2 serves l2, but this query orders by cosine; add @VectorIndex({ metric: 'cosine' }) or query with metric 'l2'."
 */
export class VectorIndexNotUsedError extends VectorError {
  constructor(
    message: string,
    /** What `explainNearest` found: the plan text and every warning. */
    readonly explanation: { readonly usesIndex: boolean; readonly index: string | undefined; readonly warnings: readonly string[]; readonly plan: string },
  ) {
    super(message);
  }
}
