import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CopyFormat } from '../dialects';
import { batches, type LoadInput, type PreparedLoad } from './load-input';
import { pgCopyStreams, type PgCopyClient } from './pg-copy-streams';
import { checkedFloat32, checkFloat32, preparedValue, rowError, type PlannedColumn } from './row-plan';

/**
 * Whether every planned column has a binary COPY form (a `vector`/`halfvec` column, or a scalar
 * type of `format`); an array column or a type like `numeric` sends the whole load as text.
 *
 * @example
 * copyMode(format, input); // 'binary'
 */
export function copyMode(format: CopyFormat, input: Pick<LoadInput, 'plan' | 'driver'>): 'binary' | 'text' {
  return input.plan.columns.every((planned) => !planned.column.isArray && format.binaryField(columnType(planned, input.driver)) !== undefined) ? 'binary' : 'text';
}

function columnType(planned: PlannedColumn, driver: LoadInput['driver']): string {
  return planned.vector ? String(planned.column.type) : driver.normalizeType(planned.column);
}

/**
 * Checks every row for one `COPY ... FROM STDIN`, in binary where every column has a binary form,
 * else in text, and returns how to send it: through `pg-copy-streams` (loaded now, so a missing
 * package fails before anything is sent) on the runner's own client. A binary load checks each row
 * now (its vectors checked, keeping nothing) and encodes each chunk as the
 * stream asks for it, so JavaScript encodes the next chunk while the server stores the last; a text
 * load encodes every row now. `forced` (the benchmark's baseline) sends text whatever the columns.
 *
 * @example
 * const send = prepareCopy(postgresCopyFormat, input); // throws on a bad row
 * await send(runner, progress);
 */
export function prepareCopy(format: CopyFormat, input: LoadInput, forced?: 'text'): PreparedLoad {
  const copyFrom = pgCopyStreams().from;
  const mode = forced ?? copyMode(format, input);
  const chunks = mode === 'binary' ? binaryChunks(format, input) : textChunks(format, input);
  const statement = format.statement(input.tableSql, input.plan.columns.map((planned) => input.escape(planned.column.databaseName)), mode);
  return async (runner, progress) => {
    const client = (await runner.connect()) as PgCopyClient;
    await pipeline(Readable.from(feed(format, chunks, mode, progress)), client.query(copyFrom(statement)));
  };
}

interface Chunk {
  bytes: Buffer;
  end: number;
}

/**
 * Checks every row for binary COPY (throwing the error of the first bad one), and returns the
 * chunks, each encoded when read into one buffer: a float32 vector (checked in the first pass)
 * written in place from the row's own array (no buffer per field), any other value through its
 * column's encoder. The first pass encodes nothing where the format can check a value
 * without encoding it (text, numbers, booleans).
 */
function binaryChunks(format: CopyFormat, input: LoadInput): Iterable<Chunk> {
  const { plan, rows, driver } = input;
  const columns = plan.columns.map((planned) => {
    const type = columnType(planned, driver);
    const encode = format.binaryField(type)!;
    const inPlace = planned.vector?.type === 'float32' ? format.binaryVector(type) : undefined;
    return { planned, encode, check: format.binaryCheck(type) ?? encode, subject: `${input.metadata.name}.${planned.column.propertyPath}`, inPlace };
  });
  /** Row `index`'s prepared value of `column` passed to `use` (its encoder or its check), errors naming the row; null for NULL. */
  const field = <T>({ planned, subject }: (typeof columns)[number], index: number, use: (value: unknown, subject: string) => T): T | null => {
    const value = preparedValue(planned, driver, rows[index]!, index, rows.length, true);
    if (value === null || value === undefined) return null;
    try {
      return use(value, subject);
    } catch (error) {
      throw rowError(planned, index, rows.length, error);
    }
  };
  for (let index = 0; index < rows.length; index++) {
    for (const column of columns) {
      // A float32 vector checked here is all its binary encoding can refuse; any other value is prepared and checked (or encoded and dropped).
      if (!checkFloat32(column.planned, rows[index]!, index, rows.length)) field(column, index, column.check);
    }
  }
  // Room for a chunk of vectors and small fields; the writer grows past it when a chunk needs more.
  const rowBytes = 2 + columns.reduce((sum, { planned, inPlace }) => sum + 4 + (inPlace && planned.vector ? inPlace.length(planned.vector.dimensions) : 16), 0);
  return {
    *[Symbol.iterator]() {
      const writer = format.binaryTuples(rowBytes * Math.min(rows.length, input.batchSize));
      for (const [start, end] of batches(rows.length, input.batchSize)) {
        for (let index = start; index < end; index++) {
          writer.tuple(columns.length);
          for (const column of columns) {
            const vector = column.inPlace && checkedFloat32(column.planned, rows[index]!, index, rows.length);
            if (vector) writer.vectorField(vector, column.inPlace!);
            else writer.field(field(column, index, column.encode));
          }
        }
        yield { bytes: writer.take(), end };
      }
    },
  };
}

/** Every row encoded (and so checked) as text COPY lines, one chunk per batch. */
function textChunks(format: CopyFormat, input: LoadInput): Chunk[] {
  const { plan, rows, driver } = input;
  const types = plan.columns.map((planned) => columnType(planned, driver));
  return batches(rows.length, input.batchSize).map(([start, end]) => {
    const lines: string[] = [];
    for (let index = start; index < end; index++) {
      lines.push(plan.columns.map((planned, column) => format.textField(preparedValue(planned, driver, rows[index]!, index, rows.length, false), types[column]!)).join('\t') + '\n');
    }
    return { bytes: Buffer.from(lines.join(''), 'utf8'), end };
  });
}

async function* feed(format: CopyFormat, chunks: Iterable<Chunk>, mode: 'binary' | 'text', progress: (loaded: number) => void): AsyncGenerator<Buffer> {
  if (mode === 'binary') yield format.binaryHeader;
  for (const chunk of chunks) {
    yield chunk.bytes;
    progress(chunk.end);
  }
  if (mode === 'binary') yield format.binaryTrailer;
}
