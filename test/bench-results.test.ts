/**
 * bench/results-file.ts: a benchmark run warns, naming the line, when a figure is more than 20% worse
 * than in bench/results.json, in the direction that figure improves; saving merges runs.
 */
import { mergeResults, regressions, type Figure, type ResultsFile } from '../bench/results-file';

const saved: ResultsFile = {
  runs: [],
  figures: {
    'kNN overhead (time ratio)': { value: 1.0, better: 'lower', date: '2026-12-01' },
    'BLOB -> number[] (speed-up)': { value: 100, better: 'higher', date: '2026-12-01' },
    'HNSW recall@10': { value: 0.99, better: 'higher', date: '2026-12-01' },
    'HNSW build seconds': { value: 10, better: 'info', date: '2026-12-01' },
  },
};

describe('bench results.json regression check', () => {
  it('names each line more than 20% worse in its own direction, and only those', () => {
    const now: Figure[] = [
      { line: 'kNN overhead (time ratio)', value: 1.25, better: 'lower' },
      { line: 'BLOB -> number[] (speed-up)', value: 79, better: 'higher' },
      { line: 'HNSW recall@10', value: 0.98, better: 'higher' },
      { line: 'HNSW build seconds', value: 100, better: 'info' },
      { line: 'a new line', value: 5, better: 'lower' },
    ];
    const found = regressions(saved, now);
    expect(found.map((r) => r.line)).toEqual(['kNN overhead (time ratio)', 'BLOB -> number[] (speed-up)']);
    expect(found[0]!.message).toBe('bench: "kNN overhead (time ratio)" regressed by 25% (saved 1.00, now 1.25)');
    expect(found[1]!.message).toBe('bench: "BLOB -> number[] (speed-up)" regressed by 21% (saved 100.0, now 79.0)');
  });

  it('does not warn at exactly 20% worse, nor when a figure improves', () => {
    expect(regressions(saved, [{ line: 'kNN overhead (time ratio)', value: 1.2, better: 'lower' }])).toEqual([]);
    expect(regressions(saved, [{ line: 'BLOB -> number[] (speed-up)', value: 80, better: 'higher' }])).toEqual([]);
    expect(regressions(saved, [{ line: 'kNN overhead (time ratio)', value: 0.5, better: 'lower' }, { line: 'HNSW recall@10', value: 1, better: 'higher' }])).toEqual([]);
  });

  it('merging keeps the lines of other runs and replaces a command run again', () => {
    const run = { date: '2026-12-02', command: 'npm run bench', seconds: 200, peakRssMb: 500 };
    const first = mergeResults(saved, [{ line: 'kNN overhead (time ratio)', value: 1.0412345, better: 'lower' }], run);
    const second = mergeResults(first, [{ line: 'a new line', value: 2, better: 'lower' }], { ...run, seconds: 210 });
    expect(second.figures['kNN overhead (time ratio)']).toEqual({ value: 1.041, better: 'lower', date: '2026-12-02' });
    expect(second.figures['HNSW recall@10']!.value).toBe(0.99);
    expect(second.figures['a new line']!.value).toBe(2);
    expect(second.runs).toEqual([{ ...run, seconds: 210 }]);
  });
});
