/** Timing helpers: every figure is a ratio of two timings taken in the same run, interleaved. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Comparison {
  name: string;
  baseline: string;
  /** Median time of ours divided by median time of the baseline (below 1 = faster than the baseline). */
  ratio: number;
}

/**
 * Times `ours` and `baseline` alternately for `rounds` rounds and returns the ratio of medians.
 * On a shared machine, give a unit of a few milliseconds many rounds (e.g. 201): each round runs
 * both back to back, so load from elsewhere hits both alike and the median drops the outliers.
 *
 * @example
 * const { ratio } = await compare('decode', "pgvector-node's fromSql", () => ours(texts), () => theirs(texts), 15);
 */
export async function compare(
  name: string,
  baselineName: string,
  ours: () => unknown | Promise<unknown>,
  baseline: () => unknown | Promise<unknown>,
  rounds = 9,
  options: TimingOptions = {},
): Promise<Comparison> {
  const [oursTime, baselineTime] = await medianTimes([ours, baseline], rounds, options);
  return { name, baseline: baselineName, ratio: oursTime! / baselineTime! };
}

/**
 * How `medianTimes` times each call.
 *
 * @example
 * await compare('decode', "pgvector-node's fromSql", ours, theirs, 15, { settleHeap: true });
 */
export interface TimingOptions {
  /**
   * Run a full garbage collection, untimed, before every timed call, so that each call starts from
   * a settled heap and pays only for the collections its own allocations cause. Without it, a
   * function that leaves much garbage (pgvector-node's text round trip: about 15 MB a call) hands
   * the marking of it to whichever function allocates next: a cheap one can then measure 10 to
   * 30 times slower than alone, in about half the rounds. For CPU-bound functions of a few
   * milliseconds or more; it adds a collection (tens of ms) per call.
   */
  settleHeap?: boolean;
  /**
   * Untimed rounds before the timed ones (default 1), so that the code under test runs as V8 has
   * optimised it in a long-lived process. A kNN call of a few milliseconds needs a few hundred: in
   * bench/overhead.ts, 300 brought findNearest on an HNSW index from 1.22-1.23x the raw driver to
   * 1.13-1.14x, and the other lines down by up to 0.03.
   */
  warmUpRounds?: number;
}

/**
 * The median time in milliseconds of each function over `rounds` rounds, the functions run in
 * turn within a round (first one first on even rounds, last one first on odd ones), after
 * `warmUpRounds` untimed rounds (default one).
 *
 * @example
 * const [exact, indexed] = await medianTimes([exactSearch, indexSearch], 21);
 */
export async function medianTimes(functions: Array<() => unknown | Promise<unknown>>, rounds: number, { settleHeap = false, warmUpRounds = 1 }: TimingOptions = {}): Promise<number[]> {
  const collect = settleHeap ? garbageCollector() : undefined;
  for (let i = 0; i < warmUpRounds; i++) for (const fn of functions) await fn();
  const times = functions.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) {
    const order = functions.map((_, index) => index);
    if (i % 2 === 1) order.reverse();
    for (const index of order) {
      collect?.();
      const start = process.hrtime.bigint();
      await functions[index]!();
      times[index]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times.map(median);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * V8's `gc()`: the global one under `node --expose-gc`, else exposed now (V8's flag, read by a new context).
 *
 * @example
 * const collect = garbageCollector();
 * collect(); // a full collection, so that the next timed call starts from a settled heap
 */
export function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
