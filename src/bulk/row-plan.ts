import { randomUUID } from 'node:crypto';
import type { Driver, EntityMetadata, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { checkVector, ELEMENT_VALUES, validateVectorInto, type ElementValues } from '../codecs';
import { findVectorColumn, type VectorColumnSpec } from '../column/vector-column-registry';
import type { VectorCodec } from '../dialects';
import { VectorError, VectorValueError } from '../errors';
import { describeValue } from '../vocabulary';

/** How one column gets its value in every row of a load. */
export interface PlannedColumn {
  readonly column: ColumnMetadata;
  /** Set on a `@VectorColumn`. */
  readonly vector?: VectorColumnSpec;
  /** The raw value of row `index` (before the driver prepares it), its default filled in. */
  rawValue(row: ObjectLiteral, index: number): unknown;
}

/** The columns a load writes, and the generated ones it leaves to the database (read back where the backend returns them). */
export interface RowPlan {
  readonly columns: readonly PlannedColumn[];
  readonly generated: readonly ColumnMetadata[];
}

/** `Row 3 of the 1000 given to insertVectors`: how errors name a row (1-based). */
export function rowName(index: number, total: number): string {
  return `Row ${index + 1} of the ${total} given to insertVectors`;
}

/**
 * Which columns of `metadata` a load of `rows` writes, checking every row first: each is an object
 * whose properties are columns or relations of the entity, and sets every column that has no
 * default, is not nullable and is not generated. A column no row sets is left to the database
 * (its default, a generated key, NULL), except a version column (1), a discriminator (the
 * entity's value) and a uuid key where the database generates none (a random UUID, as TypeORM
 * does). A column some rows set and others leave out takes, in those, its plain default or NULL.
 *
 * @example
 * planRows(repository.metadata, driver, [{ title: 'a', embedding: [1, 2, 3] }]).columns.map((c) => c.column.propertyName); // ['title', 'embedding']
 */
export function planRows(metadata: EntityMetadata, driver: Driver, rows: readonly unknown[]): RowPlan {
  checkProperties(metadata, rows);
  const objects = rows as readonly ObjectLiteral[];
  const columns: PlannedColumn[] = [];
  const generated: ColumnMetadata[] = [];
  for (const column of metadata.columns) {
    if (!column.isInsert) continue;
    const vector = findVectorColumn(column.target, column.propertyName);
    const setBy = objects.findIndex((row) => column.getEntityValue(row) !== undefined);
    const constant = fixedValue(column, metadata, driver);
    if (setBy < 0 && !constant) {
      if (column.isGenerated) generated.push(column);
      else if (!mayBeLeftOut(column)) throw new VectorValueError(`${rowName(0, rows.length)}: ${missing(column, metadata, 'no row sets it')}`);
      continue;
    }
    columns.push({
      column,
      vector,
      rawValue(row, index) {
        const value = column.getEntityValue(row);
        if (value !== undefined) return value;
        if (constant) {
          const made = constant();
          // A client-side UUID key is set on the row, as TypeORM's save does.
          if (column.isGenerated) column.setEntityValue(row, made);
          return made;
        }
        if (typeof column.default !== 'function' && column.default !== undefined) return column.default;
        if (column.isNullable) return null;
        // preparedValue names the row.
        throw new VectorValueError(missing(column, metadata, `row ${setBy + 1} sets it; set it on every row, or on none to leave it to the database`));
      },
    });
  }
  return { columns, generated };
}

/** A value TypeORM itself writes when a row has none: version 1, the discriminator, a client-side UUID. */
function fixedValue(column: ColumnMetadata, metadata: EntityMetadata, driver: Driver): (() => unknown) | undefined {
  if (column.isVersion) return () => 1;
  if (column.isDiscriminator) return () => metadata.discriminatorValue;
  if (column.isGenerated && column.generationStrategy === 'uuid' && !driver.isUUIDGenerationSupported()) return () => randomUUID();
  return undefined;
}

function mayBeLeftOut(column: ColumnMetadata): boolean {
  return column.isNullable || column.default !== undefined || column.isCreateDate || column.isUpdateDate || column.generatedType !== undefined || column.isGenerated;
}

/** What a row lacks, for an error that names the row first. */
function missing(column: ColumnMetadata, metadata: EntityMetadata, why: string): string {
  return `it has no ${metadata.name}.${column.propertyPath}, which is NOT NULL with no default (${why}); give every row a value for it.`;
}

function checkProperties(metadata: EntityMetadata, rows: readonly unknown[]): void {
  const known = new Set([...metadata.columns.map((column) => column.propertyPath.split('.')[0]!), ...metadata.relations.map((relation) => relation.propertyPath.split('.')[0]!)]);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new VectorValueError(`${rowName(index, rows.length)} is ${describeValue(row)}; pass an object with ${metadata.name}'s properties.`);
    }
    // for...in (own keys first, in Object.keys order) allocates no array of keys per row; an inherited key is no property of the row.
    for (const key in row) {
      if (!known.has(key) && Object.prototype.hasOwnProperty.call(row, key)) {
        throw new VectorValueError(`${rowName(index, rows.length)} has property '${key}', which is no column of ${metadata.name}; use ${[...known].join(', ')}.`);
      }
    }
  }
}

/**
 * The value of `planned` in row `index` as the driver writes it (transformers applied, a vector
 * validated and encoded by its column's codec), or, with `validatedVector`, a vector column's
 * validated value (a Float32Array for float32/float16) for formats that encode it themselves.
 * Errors name the row.
 *
 * @example
 * preparedValue(planned, driver, row, 4, 1000, false); // Buffer <...> (a SQLite vector BLOB)
 */
export function preparedValue(planned: PlannedColumn, driver: Driver, row: ObjectLiteral, index: number, total: number, validatedVector: boolean): unknown {
  // try/catch here rather than a callback: this runs for every value of every row, twice per load.
  try {
    const { column, vector } = planned;
    const raw = planned.rawValue(row, index);
    if (raw === null && !column.isNullable && !column.isGenerated) {
      throw new VectorValueError(`${column.entityMetadata.name}.${column.propertyPath} is NOT NULL but got null; give it a value.`);
    }
    if (vector && validatedVector) {
      if (raw === null) return null;
      return (ELEMENT_VALUES[vector.type] as ElementValues<unknown>).validate(raw, vector.dimensions, vector.subject);
    }
    return driver.preparePersistentValue(raw, column);
  } catch (error) {
    throw rowError(planned, index, total, error);
  }
}

/**
 * A float32 vector (an array or typed array) in row `index`, checked as `preparedValue` would,
 * throwing the same errors, without allocating: validated into `into` (a Float32Array of the
 * column's dimensions), then, with `codec`, encoded by it (its own checks, such as MariaDB's norm).
 * With `checked` (the value passed this check in an earlier pass of the same load) it is only
 * converted into `into`. Returns the encoded value (with a codec) or `into`; undefined, checking nothing, when the column
 * is no float32 vector or the value no array (the caller prepares it with `preparedValue`). A load
 * checks every row this way before it sends the first, keeping nothing, then encodes each batch
 * as it sends it, so no encoded copy of every row is held at once.
 *
 * @example
 * float32Value(planned, row, 4, 1000, new Float32Array(384), codec); // <Buffer ...>, or throws on a bad vector
 */
export function float32Value(planned: PlannedColumn, row: ObjectLiteral, index: number, total: number, into: Float32Array | undefined, codec?: VectorCodec, checked = false): unknown {
  const vector = planned.vector;
  const raw = float32Raw(planned, row);
  if (!into || !raw || !vector) return undefined;
  try {
    // `checked`: this very value passed validation in the load's first pass; the typed array's own conversion (native, rounding as
    // Math.fround does) is all that is left, when the length still fits.
    const validated = checked && raw.length === into.length ? (into.set(raw), into) : validateVectorInto(raw, vector.dimensions, vector.subject, into);
    return codec ? codec.encode(validated, vector.subject) : validated;
  } catch (error) {
    throw rowError(planned, index, total, error);
  }
}

/**
 * Checks a float32 vector (an array or typed array) in row `index` as `preparedValue` would,
 * throwing the same errors, keeping nothing: true once checked; false, checking nothing, when the
 * column is no float32 vector or the value no array (the caller prepares it with `preparedValue`).
 * A COPY load checks every row this way before it sends the first, then writes each vector (from
 * `checkedFloat32`) as it sends its batch.
 *
 * @example
 * checkFloat32(planned, row, 4, 1000); // true, or throws on a bad vector
 */
export function checkFloat32(planned: PlannedColumn, row: ObjectLiteral, index: number, total: number): boolean {
  const vector = planned.vector;
  const raw = float32Raw(planned, row);
  if (!raw || !vector) return false;
  try {
    checkVector(raw, vector.dimensions, vector.subject);
  } catch (error) {
    throw rowError(planned, index, total, error);
  }
  return true;
}

/**
 * The float32 vector of row `index` that `checkFloat32` passed in the load's first pass, to be
 * written as it is (an array or typed array): the row's own value while its length is still the
 * column's dimensions, checked again (throwing its error) when it changed since; undefined when the
 * column is no float32 vector or the value no array (the caller prepares it with `preparedValue`).
 *
 * @example
 * checkedFloat32(planned, row, 4, 1000); // the row's number[] of 384 elements
 */
export function checkedFloat32(planned: PlannedColumn, row: ObjectLiteral, index: number, total: number): ArrayLike<number> | undefined {
  const raw = float32Raw(planned, row);
  if (raw && raw.length !== planned.vector!.dimensions) checkFloat32(planned, row, index, total);
  return raw;
}

/** The row's value of a float32 vector column when it is an array or typed array (not yet checked); undefined for any other column or value. */
function float32Raw(planned: PlannedColumn, row: ObjectLiteral): ArrayLike<number> | undefined {
  if (planned.vector?.type !== 'float32') return undefined;
  const raw: unknown = planned.column.getEntityValue(row);
  return Array.isArray(raw) || ArrayBuffer.isView(raw) ? (raw as ArrayLike<number>) : undefined;
}

/**
 * `error`, thrown while preparing `planned` in row `index`, with the row named first (a
 * `VectorError` keeps its class).
 *
 * @example
 * throw rowError(planned, 4, 1000, error); // VectorValueError: Row 5 of the 1000 given to insertVectors: ...
 */
export function rowError(planned: PlannedColumn, index: number, total: number, error: unknown): Error {
  const { column } = planned;
  if (error instanceof VectorError) return new (error.constructor as typeof VectorError)(`${rowName(index, total)}: ${error.message}`, { cause: error.cause });
  return new VectorValueError(`${rowName(index, total)}: ${column.entityMetadata.name}.${column.propertyPath} could not be prepared (${(error as Error).message}); fix its value.`, { cause: error });
}
