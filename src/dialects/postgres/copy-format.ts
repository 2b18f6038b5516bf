import { encodeHalfvecBinary, encodePgvectorBinary, pgvectorBinaryLength, writePgvectorBinary } from '../../codecs';
import { VectorValueError } from '../../errors';
import { describeValue } from '../../vocabulary';
import type { BinaryFieldCheck, BinaryFieldEncoder, BinaryTupleWriter, BinaryVectorWriter, CopyFormat } from '../bulk-load';

/** Microseconds and days between the Unix epoch and PostgreSQL's, 2000-01-01. */
const PG_EPOCH_MS = 946_684_800_000;
const PG_EPOCH_DAYS = 10_957;
const DAY_MS = 86_400_000;

function refuse(subject: string, value: unknown, expected: string): never {
  throw new VectorValueError(`${subject} is ${describeValue(value)}, which is not ${expected}; pass ${expected}.`);
}

/** A column type's binary encoder and, where checking alone is cheaper than encoding, its check (throwing the same errors). */
interface BinaryField {
  encode: BinaryFieldEncoder;
  check?: BinaryFieldCheck;
}

function integerValue(value: unknown, subject: string, min: number, max: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) refuse(subject, value, `an integer from ${min} to ${max}`);
  return number;
}

function integerField(bytes: 2 | 4, min: number, max: number): BinaryField {
  return {
    encode(value, subject) {
      const number = integerValue(value, subject, min, max);
      const out = Buffer.allocUnsafe(bytes);
      if (bytes === 2) out.writeInt16BE(number, 0);
      else out.writeInt32BE(number, 0);
      return out;
    },
    check(value, subject) {
      integerValue(value, subject, min, max);
    },
  };
}

const bigintField: BinaryFieldEncoder = (value, subject) => {
  let big: bigint | undefined;
  try {
    big = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? BigInt(value.trim()) : undefined;
  } catch {
    big = undefined;
  }
  if (big === undefined || big < -(2n ** 63n) || big >= 2n ** 63n) refuse(subject, value, 'a 64-bit integer (a number, bigint or string of digits)');
  const out = Buffer.allocUnsafe(8);
  out.writeBigInt64BE(big, 0);
  return out;
};

function floatValue(value: unknown, subject: string): number {
  const number = typeof value === 'string' && (value.trim() === 'NaN' || !Number.isNaN(Number(value))) && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number') refuse(subject, value, 'a number');
  return number;
}

function floatField(bytes: 4 | 8): BinaryField {
  return {
    encode(value, subject) {
      const number = floatValue(value, subject);
      const out = Buffer.allocUnsafe(bytes);
      if (bytes === 4) out.writeFloatBE(number, 0);
      else out.writeDoubleBE(number, 0);
      return out;
    },
    check(value, subject) {
      floatValue(value, subject);
    },
  };
}

const booleanField: BinaryField = {
  encode(value, subject) {
    if (value === true || value === 1) return Buffer.of(1);
    if (value === false || value === 0) return Buffer.of(0);
    return refuse(subject, value, 'a boolean');
  },
  check(value, subject) {
    if (value !== true && value !== false && value !== 1 && value !== 0) refuse(subject, value, 'a boolean');
  },
};

/** Text as PostgreSQL stores it: a string, or a number, bigint or boolean written as one. */
const textField: BinaryField = {
  encode(value, subject) {
    if (typeof value === 'string') return Buffer.from(value, 'utf8');
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return Buffer.from(String(value), 'utf8');
    return refuse(subject, value, 'a string');
  },
  check(value, subject) {
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'bigint' && type !== 'boolean') refuse(subject, value, 'a string');
  },
};

const jsonField: BinaryFieldEncoder = (value, subject) => textField.encode(typeof value === 'string' ? value : JSON.stringify(value), subject);
const jsonbField: BinaryFieldEncoder = (value, subject) => Buffer.concat([Buffer.of(1), jsonField(value, subject)]);

const byteaField: BinaryFieldEncoder = (value, subject) => {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return refuse(subject, value, 'a Buffer or Uint8Array');
};

function dateOf(value: unknown, subject: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) refuse(subject, value, 'a valid Date');
  return date;
}

/** `withZone`: timestamptz (an instant); without, the local wall-clock time, as `pg` sends a Date for a timestamp column. */
function timestampField(withZone: boolean): BinaryFieldEncoder {
  return (value, subject) => {
    const date = dateOf(value, subject);
    const ms = withZone ? date.getTime() : date.getTime() - date.getTimezoneOffset() * 60_000;
    const out = Buffer.allocUnsafe(8);
    out.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n, 0);
    return out;
  };
}

const dateField: BinaryFieldEncoder = (value, subject) => {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  const days = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS
    : (() => {
        const date = dateOf(value, subject);
        return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / DAY_MS;
      })();
  const out = Buffer.allocUnsafe(4);
  out.writeInt32BE(days - PG_EPOCH_DAYS, 0);
  return out;
};

const uuidField: BinaryFieldEncoder = (value, subject) => {
  const hex = typeof value === 'string' ? value.replace(/[{}-]/g, '') : '';
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) refuse(subject, value, 'a UUID string');
  return Buffer.from(hex, 'hex');
};

const vectorField = (encode: (vector: Float32Array) => Buffer): BinaryFieldEncoder => (value, subject) => (value instanceof Float32Array ? encode(value) : refuse(subject, value, 'a validated Float32Array'));

/** Column types (as TypeORM's PostgreSQL driver normalises them) with a simple binary form. */
const BINARY_FIELDS: Readonly<Record<string, BinaryField | BinaryFieldEncoder>> = {
  smallint: integerField(2, -32768, 32767),
  int2: integerField(2, -32768, 32767),
  integer: integerField(4, -2147483648, 2147483647),
  int4: integerField(4, -2147483648, 2147483647),
  bigint: bigintField,
  int8: bigintField,
  real: floatField(4),
  float4: floatField(4),
  'double precision': floatField(8),
  float8: floatField(8),
  boolean: booleanField,
  bool: booleanField,
  text: textField,
  'character varying': textField,
  varchar: textField,
  character: textField,
  char: textField,
  enum: textField,
  json: jsonField,
  jsonb: jsonbField,
  bytea: byteaField,
  'timestamp without time zone': timestampField(false),
  timestamp: timestampField(false),
  'timestamp with time zone': timestampField(true),
  timestamptz: timestampField(true),
  date: dateField,
  uuid: uuidField,
  vector: vectorField(encodePgvectorBinary),
  halfvec: vectorField(encodeHalfvecBinary),
};

const PGVECTOR_BINARY: BinaryVectorWriter = { length: pgvectorBinaryLength, write: writePgvectorBinary };

/** Binary COPY tuples in one growing buffer; a taken buffer is never written again (the stream may still hold it). */
class TupleWriter implements BinaryTupleWriter {
  private out = Buffer.alloc(0);
  private offset = 0;

  constructor(private capacity: number) {}

  tuple(fields: number): void {
    this.reserve(2);
    this.offset = this.out.writeInt16BE(fields, this.offset);
  }

  field(bytes: Uint8Array | null): void {
    this.reserve(4 + (bytes ? bytes.length : 0));
    this.offset = this.out.writeInt32BE(bytes ? bytes.length : -1, this.offset);
    if (bytes) {
      this.out.set(bytes, this.offset);
      this.offset += bytes.length;
    }
  }

  vectorField(vector: ArrayLike<number>, writer: BinaryVectorWriter): void {
    const length = writer.length(vector.length);
    this.reserve(4 + length);
    this.offset = writer.write(vector, this.out, this.out.writeInt32BE(length, this.offset));
  }

  take(): Buffer {
    const taken = this.out.subarray(0, this.offset);
    // The next chunk starts with room for as much as this one held, allocated when it is written.
    this.capacity = Math.max(this.capacity, this.offset);
    this.out = Buffer.alloc(0);
    this.offset = 0;
    return taken;
  }

  /** Room for `bytes` more, moving what was written into a buffer at least twice as large when needed. */
  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.out.length) return;
    const larger = Buffer.allocUnsafe(Math.max(2 * this.out.length, this.capacity, this.offset + bytes));
    this.out.copy(larger, 0, 0, this.offset);
    this.out = larger;
  }
}

const BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

function pad(number: number, width = 2): string {
  return String(number).padStart(width, '0');
}

/** A Date as PostgreSQL text: an instant (UTC, with offset) for `timestamptz`, the local wall-clock time otherwise (as `pg` sends it). */
function dateText(date: Date, type: string): string {
  if (/with time zone|timestamptz/.test(type)) return date.toISOString();
  if (type === 'date') return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A value as PostgreSQL's text input reads it (before COPY escaping). */
function plainText(value: unknown, type: string): string {
  if (value instanceof Date) return dateText(value, type);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (type === 'boolean' && (value === 0 || value === 1)) return value ? 't' : 'f';
  if (Array.isArray(value)) return `{${value.map((element) => (element === null || element === undefined ? 'NULL' : `"${plainText(element, type).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * PostgreSQL's COPY formats. Binary: `PGCOPY\n\377\r\n\0`, flags and extension length (0), then per
 * row an int16 field count and, per field, an int32 length (-1: NULL) and the type's binary form
 * (`vector`: int16 dimensions, int16 unused, big-endian float4 elements; `halfvec` the same with
 * float2), ending with int16 -1. Text: tab-separated fields, backslash escapes, `\N` for NULL.
 *
 * @example
 * postgresCopyFormat.statement('"doc"', ['"id"', '"embedding"'], 'binary'); // 'COPY "doc" ("id", "embedding") FROM STDIN WITH (FORMAT binary)'
 * postgresCopyFormat.textField('a\tb', 'text');                             // 'a\\tb'
 */
export const postgresCopyFormat: CopyFormat = {
  binaryField(type) {
    const field = BINARY_FIELDS[type];
    return typeof field === 'function' ? field : field?.encode;
  },
  binaryCheck(type) {
    const field = BINARY_FIELDS[type];
    return typeof field === 'function' ? undefined : field?.check;
  },
  binaryVector: (type) => (type === 'vector' ? PGVECTOR_BINARY : undefined),
  binaryTuples: (capacity) => new TupleWriter(capacity),
  binaryHeader: BINARY_HEADER,
  binaryTrailer: Buffer.of(0xff, 0xff),
  textField(value, type) {
    if (value === null || value === undefined) return '\\N';
    return plainText(value, type).replace(/[\\\n\r\t]/g, (char) => (char === '\\' ? '\\\\' : char === '\n' ? '\\n' : char === '\r' ? '\\r' : '\\t'));
  },
  statement: (tableSql, columnsSql, format) => `COPY ${tableSql} (${columnsSql.join(', ')}) FROM STDIN WITH (FORMAT ${format})`,
};
