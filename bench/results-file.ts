/**
 * bench/results.json: the figures of the last saved run, one line each, and the check that warns
 * when a run regresses a figure by more than 20% against it. Pure, so test/bench-results.test.ts
 * covers it without a database.
 */
import * as fs from 'node:fs';

/** One figure of a benchmark run: a ratio or a recall, and which way is better. */
export interface Figure {
  /** Unique, self-describing name of the line (what, data size, baseline). */
  line: string;
  value: number;
  /** `lower` for time ratios ours/baseline, `higher` for speed-ups and recall; `info` figures (seconds, bytes) are not checked. */
  better: 'lower' | 'higher' | 'info';
  /** What the figure is measured against, for the printed table. */
  baseline?: string;
}

/** The saved file: when and how the figures were made, and the figures by line. */
export interface ResultsFile {
  /** The command of each saved run, by the date it ran. */
  runs: Array<{ date: string; command: string; seconds: number; peakRssMb: number }>;
  figures: Record<string, { value: number; better: Figure['better']; date: string }>;
}

/** A figure more than `tolerance` worse than its saved value, with the warning naming its line. */
export interface Regression {
  line: string;
  saved: number;
  now: number;
  message: string;
}

/** How much worse a figure may get before a warning (20%). */
export const REGRESSION_TOLERANCE = 0.2;

/**
 * The figures of `current` that are more than `tolerance` worse than their saved value: a
 * `lower`-is-better ratio above saved x 1.2, a `higher`-is-better one below saved x 0.8. Lines
 * not saved before, and `info` figures, are never regressions.
 *
 * @example
 * regressions({ runs: [], figures: { 'kNN': { value: 1.0, better: 'lower', date: '2026-12-02' } } }, [{ line: 'kNN', value: 1.3, better: 'lower' }]);
 * // [{ line: 'kNN', saved: 1, now: 1.3, message: 'bench: "kNN" regressed by 30% (saved 1.00, now 1.30)' }]
 */
export function regressions(saved: ResultsFile, current: readonly Figure[], tolerance = REGRESSION_TOLERANCE): Regression[] {
  const out: Regression[] = [];
  for (const figure of current) {
    const before = saved.figures[figure.line];
    if (!before || figure.better === 'info' || before.value === 0) continue;
    const worse = figure.better === 'lower' ? figure.value / before.value - 1 : 1 - figure.value / before.value;
    if (worse > tolerance) {
      out.push({
        line: figure.line,
        saved: before.value,
        now: figure.value,
        message: `bench: "${figure.line}" regressed by ${Math.round(worse * 100)}% (saved ${format(before.value)}, now ${format(figure.value)})`,
      });
    }
  }
  return out;
}

/**
 * `saved` with `current`'s figures written over it (lines of other runs, e.g. the 100,000-row
 * recall table, stay) and the run recorded.
 *
 * @example
 * const next = mergeResults(saved, figures, { date: '2026-12-02', command: 'npm run bench', seconds: 180, peakRssMb: 600 });
 */
export function mergeResults(saved: ResultsFile, current: readonly Figure[], run: ResultsFile['runs'][number]): ResultsFile {
  const figures = { ...saved.figures };
  for (const figure of current) figures[figure.line] = { value: round(figure.value), better: figure.better, date: run.date };
  return { runs: [...saved.runs.filter((r) => r.command !== run.command), run], figures };
}

/**
 * Reads a results file, or an empty one where there is none yet.
 *
 * @example
 * const saved = readResults('bench/results.json');
 */
export function readResults(file: string): ResultsFile {
  if (!fs.existsSync(file)) return { runs: [], figures: {} };
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
}

/**
 * Writes a results file, lines sorted, so a diff shows what moved.
 *
 * @example
 * writeResults('bench/results.json', next);
 */
export function writeResults(file: string, results: ResultsFile): void {
  const figures = Object.fromEntries(Object.entries(results.figures).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(file, `${JSON.stringify({ runs: results.runs, figures }, null, 2)}\n`);
}

/** A figure as the tables print it: 3 significant decimals below 10, 1 above. */
export function format(value: number): string {
  return Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(Math.abs(value) >= 1 ? 2 : 3);
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
