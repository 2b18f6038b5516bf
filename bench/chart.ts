/**
 * Draws the scale curve as a PNG: a vega-lite line chart (log-scaled axes), compiled by vega-lite,
 * rendered to SVG by vega, rasterised by @resvg/resvg-js. vega and vega-lite are ES modules only,
 * so they are loaded with a real dynamic import (TypeScript's CommonJS output would turn `import()`
 * into `require()`).
 */
import * as fs from 'node:fs';

/** One point of a curve: a series (e.g. "exact scan"), the table's rows, and the median query time. */
export interface CurvePoint {
  series: string;
  rows: number;
  ms: number;
}

const importModule = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

/**
 * Writes `points` as a PNG line chart to `file`, titled `title`.
 *
 * @example
 * await drawScaleCurve([{ series: 'exact scan', rows: 10_000, ms: 4.1 }, { series: 'exact scan', rows: 100_000, ms: 39 }], 'bench/scale-curve.png', 'PostgreSQL + pgvector');
 */
export async function drawScaleCurve(points: readonly CurvePoint[], file: string, title: string): Promise<void> {
  const vegaLite = await importModule<{ compile(spec: unknown): { spec: unknown } }>('vega-lite');
  const vega = await importModule<{ parse(spec: unknown): unknown; View: new (runtime: unknown, options: { renderer: string }) => { toSVG(): Promise<string>; finalize(): void } }>('vega');
  const { Resvg } = await import('@resvg/resvg-js');
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: 'median query time, top 10, one run on a shared 2-core machine: read the slopes, not the milliseconds' },
    width: 560,
    height: 320,
    background: 'white',
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rows', type: 'quantitative', scale: { type: 'log' }, title: 'rows in the table' },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'median query time (ms)' },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top-left', labelLimit: 0 } },
    },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng();
    fs.writeFileSync(file, png);
  } finally {
    view.finalize();
  }
}
