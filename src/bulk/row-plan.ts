import { randomUUID } from 'node:crypto';
import type { Driver, EntityMetadata, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ELEMENT_VALUES, validateVectorInto, type ElementValues } from '../codecs';
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
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new VectorValueError(`${rowName(index, rows.length)} is ${describeValue(row)}; pass an object with ${metadata.name}'s properties.`);
    }
    const unknown = Object.keys(row).find((key) => !known.has(key));
    if (unknown !== undefined) {
      throw new VectorValueError(`${rowName(index, rows.length)} has property '${unknown}', which is no column of ${metadata.name}; use ${[...known].join(', ')}.`);
    }
  });
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
  return namingRow(planned, index, total, () => {
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
  });
}

/** A float32 vector column checked without keeping anything: a Float32Array of its dimensions to validate into, and its codec where the load sends what the codec encodes. */
export interface Float32Check {
  readonly scratch: Float32Array;
  readonly codec?: VectorCodec;
}

/**
 * Checks a float32 vector (an array or typed array) in row `index` as `preparedValue` would,
 * throwing the same errors, but keeping nothing: validated into `float32.scratch`, then, with a
 * codec, encoded by it (its own checks, such as MariaDB's norm) and the result dropped. Returns
 * false, checking nothing, for any other value (the caller prepares it). A load checks every row
 * before it sends the first, then encodes each batch as it sends it, so no encoded copy of every
 * row is held at once.
 *
 * @example
 * checkValue(planned, row, 4, 1000, { codec, scratch: new Float32Array(384) }); // true, or throws on a bad vector
 */
export function checkValue(planned: PlannedColumn, row: ObjectLiteral, index: number, total: number, float32: Float32Check | undefined): boolean {
  const vector = planned.vector;
  if (!float32 || vector?.type !== 'float32') return false;
  const raw = planned.column.getEntityValue(row);
  if (!Array.isArray(raw) && !ArrayBuffer.isView(raw)) return false;
  namingRow(planned, index, total, () => {
    const validated = validateVectorInto(raw, vector.dimensions, vector.subject, float32.scratch);
    float32.codec?.encode(validated, vector.subject);
  });
  return true;
}

/** Runs `prepare`, prefixing any error with the row it is about. */
function namingRow<T>(planned: PlannedColumn, index: number, total: number, prepare: () => T): T {
  const { column } = planned;
  try {
    return prepare();
  } catch (error) {
    if (error instanceof VectorError) throw new (error.constructor as typeof VectorError)(`${rowName(index, total)}: ${error.message}`, { cause: error.cause });
    throw new VectorValueError(`${rowName(index, total)}: ${column.entityMetadata.name}.${column.propertyPath} could not be prepared (${(error as Error).message}); fix its value.`, { cause: error });
  }
}
