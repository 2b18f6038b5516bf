import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CopyFormat } from '../dialects';
import { batches, type LoadInput, type PreparedLoad } from './load-input';
import { pgCopyStreams, type PgCopyClient } from './pg-copy-streams';
import { preparedValue, type PlannedColumn } from './row-plan';

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
 * Encodes every row (and so checks it) for one `COPY ... FROM STDIN`, in binary where every column
 * has a binary form, else in text, and returns how to send it: through `pg-copy-streams` (loaded
 * now, so a missing package fails before anything is sent) on the runner's own client. `forced`
 * (the benchmark's baseline) sends text whatever the columns.
 *
 * @example
 * const send = prepareCopy(postgresCopyFormat, input); // throws on a bad row
 * await send(runner, progress);
 */
export function prepareCopy(format: CopyFormat, input: LoadInput, forced?: 'text'): PreparedLoad {
  const copyFrom = pgCopyStreams().from;
  const mode = forced ?? copyMode(format, input);
  const chunks = encodeBatches(format, input, mode);
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

function encodeBatches(format: CopyFormat, input: LoadInput, mode: 'binary' | 'text'): Chunk[] {
  const { plan, rows, driver } = input;
  const types = plan.columns.map((planned) => columnType(planned, driver));
  const encoders = types.map((type) => format.binaryField(type));
  return batches(rows.length, input.batchSize).map(([start, end]) => {
    const tuples: Array<Array<Buffer | null>> = [];
    const lines: string[] = [];
    for (let index = start; index < end; index++) {
      const row = rows[index]!;
      if (mode === 'binary') {
        const fields = plan.columns.map((planned, column) => {
          const value = preparedValue(planned, driver, row, index, rows.length, true);
          return value === null || value === undefined ? null : encoders[column]!(value, `${input.metadata.name}.${planned.column.propertyPath} in row ${index + 1}`);
        });
        tuples.push(fields);
      } else {
        lines.push(plan.columns.map((planned, column) => format.textField(preparedValue(planned, driver, row, index, rows.length, false), types[column]!)).join('\t') + '\n');
      }
    }
    return { bytes: mode === 'binary' ? format.binaryTuples(tuples) : Buffer.from(lines.join(''), 'utf8'), end };
  });
}

async function* feed(format: CopyFormat, chunks: readonly Chunk[], mode: 'binary' | 'text', progress: (loaded: number) => void): AsyncGenerator<Buffer> {
  if (mode === 'binary') yield format.binaryHeader;
  for (const chunk of chunks) {
    yield chunk.bytes;
    progress(chunk.end);
  }
  if (mode === 'binary') yield format.binaryTrailer;
}
