/** Timing helpers: every figure is a ratio of two timings taken in the same run, interleaved. */
export interface Comparison {
  name: string;
  baseline: string;
  /** Median time of ours divided by median time of the baseline (below 1 = faster than the baseline). */
  ratio: number;
}

/**
 * Times `ours` and `baseline` alternately for `rounds` rounds and returns the ratio of medians.
 */
export async function compare(
  name: string,
  baselineName: string,
  ours: () => unknown | Promise<unknown>,
  baseline: () => unknown | Promise<unknown>,
  rounds = 9,
): Promise<Comparison> {
  await ours();
  await baseline();
  const oursTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? [ours, baseline] : [baseline, ours];
    for (const fn of order) {
      const start = process.hrtime.bigint();
      await fn();
      const elapsed = Number(process.hrtime.bigint() - start);
      (fn === ours ? oursTimes : baselineTimes).push(elapsed);
    }
  }
  return { name, baseline: baselineName, ratio: median(oursTimes) / median(baselineTimes) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
