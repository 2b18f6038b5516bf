/// <reference lib="dom" />
/**
 * The sample app's web page (npm run demo -- serve) in headless Chromium: Debian's `chromium`
 * package driven by playwright-core, provided by scripts/provide-chromium.sh (test/support/browser.ts);
 * without a browser the run fails, it never skips. Types a query and checks the rows shown against
 * the library's own findNearest; then the category filter, "more like this" and the hybrid toggle.
 * typeorm-1.x project only. SAMPLE_APP_SCREENSHOT=<file.png> also saves a screenshot of the page.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { MoreThanOrEqual } from 'typeorm';
import { findHybrid, findNearest } from '../src';
import { SampleApp } from '../sample-app/app';
import { HashedNgramEmbedder } from '../sample-app/embedders';
import { startServer, type RunningServer } from '../sample-app/server';
import { chromiumPath } from './support/browser';
import { sampleDatabase, type SampleDatabase } from './support/sample-app-db';

let db: SampleDatabase;
let app: SampleApp;
let server: RunningServer;
let browser: Browser;
let page: Page;
const embedder = new HashedNgramEmbedder(256);
const embed = async (text: string) => (await embedder.embed([text]))[0]!;

beforeAll(async () => {
  const executablePath = chromiumPath();
  db = await sampleDatabase('sqlite');
  app = await SampleApp.open({ databaseUrl: db.url, log: () => {} });
  await app.ensureIngested();
  server = await startServer(app, 0);
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready=true]');
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  await db?.drop();
});

/** The result rows on the page: id, distance cell, title, category. */
async function shownRows(): Promise<Array<{ id: number; measure: string; title: string; category: string }>> {
  await page.waitForFunction(() => document.getElementById('status')!.textContent !== 'searching…');
  return page.$$eval('#results tbody tr.hit', (rows) =>
    rows.map((row) => ({
      id: Number((row as HTMLElement).dataset.id),
      measure: row.querySelector('td.distance')!.textContent!,
      title: row.querySelector('.title')!.textContent!,
      category: row.querySelector('.tag')!.textContent!,
    })),
  );
}

async function searchFor(text: string): Promise<void> {
  await page.fill('#q', text);
  await page.press('#q', 'Enter');
  await page.waitForFunction((q) => document.getElementById('status')!.textContent!.includes(q), text);
}

it('shows the backend, the text count and the categories', async () => {
  expect(await page.textContent('#backend')).toMatch(/^SQLite 3\.\d+\.\d+ \+ sqlite-vec 0\.1\.\d+ at .*app\.sqlite · 3000 texts · embedder hashed-ngrams-v1-256$/);
  const options = await page.$$eval('#category option', (o) => o.map((x) => (x as HTMLOptionElement).value));
  expect(options).toEqual(['', 'cooking', 'finance', 'fitness', 'gardening', 'health', 'home', 'music', 'science', 'software', 'travel']);
});

it('a typed query shows the rows and distances findNearest returns', async () => {
  await searchFor('marathon training plan');
  const expected = await findNearest(app.documents, { column: 'embedding', vector: await embed('marathon training plan'), metric: 'cosine', limit: 10 });
  expect(await shownRows()).toEqual(expected.map((e) => ({ id: e.entity.id, measure: e.distance.toFixed(4), title: e.entity.title, category: e.entity.category })));
});

it('the category filter searches within the category, as findNearest with where does', async () => {
  await page.selectOption('#category', 'health');
  await searchFor('sourdough bread');
  const expected = await findNearest(app.documents, { column: 'embedding', vector: await embed('sourdough bread'), metric: 'cosine', limit: 10, where: { category: 'health' } });
  const rows = await shownRows();
  expect(rows.map((r) => [r.id, r.measure])).toEqual(expected.map((e) => [e.entity.id, e.distance.toFixed(4)]));
  expect(rows.every((r) => r.category === 'health')).toBe(true);
  await page.selectOption('#category', '');
});

it('the date filter searches texts published on or after the date, as findNearest with where does', async () => {
  const dates = (await app.documents.find({ select: { published: true }, order: { published: 'ASC' } })).map((d) => String(d.published));
  const since = dates[Math.floor(dates.length / 2)]!;
  expect(since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await page.fill('#since', since);
  await searchFor('sourdough bread');
  const expected = await findNearest(app.documents, { column: 'embedding', vector: await embed('sourdough bread'), metric: 'cosine', limit: 10, where: { published: MoreThanOrEqual(since) } });
  expect(expected.length).toBe(10);
  expect(expected.every((e) => String(e.entity.published) >= since)).toBe(true);
  // Without the date the top 10 holds older texts too, so the rows shown prove the filter was applied.
  const unfiltered = await findNearest(app.documents, { column: 'embedding', vector: await embed('sourdough bread'), metric: 'cosine', limit: 10 });
  expect(unfiltered.some((e) => String(e.entity.published) < since)).toBe(true);
  expect((await shownRows()).map((r) => [r.id, r.measure])).toEqual(expected.map((e) => [e.entity.id, e.distance.toFixed(4)]));
  await page.fill('#since', '');
});

it('"more like this" shows the texts nearest to that text', async () => {
  await searchFor('pruning roses');
  const first = (await shownRows())[0]!;
  await page.click('#results tbody tr.hit >> nth=0 >> a.more');
  await page.waitForFunction((id) => document.getElementById('status')!.textContent!.startsWith(`Texts like #${id} `), first.id);
  const source = await app.documents.findOneByOrFail({ id: first.id });
  const expected = await findNearest(app.documents, { column: 'embedding', vector: source.embedding, metric: 'cosine', limit: 11 });
  expect((await shownRows()).map((r) => [r.id, r.measure])).toEqual(expected.filter((e) => e.entity.id !== first.id).slice(0, 10).map((e) => [e.entity.id, e.distance.toFixed(4)]));
});

it('the hybrid toggle shows findHybrid\'s fused ranking', async () => {
  await page.fill('#q', 'vector search');
  await page.check('#hybrid');
  await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('hybrid'));
  const expected = await findHybrid(app.documents, {
    vector: { column: 'embedding', value: await embed('vector search'), metric: 'cosine' },
    text: { columns: ['title', 'body'], query: 'vector search' },
    limit: 10,
  });
  expect((await shownRows()).map((r) => [r.id, r.measure])).toEqual(
    expected.map((e) => [e.entity.id, `${e.score.toFixed(4)} (${e.vectorRank ?? '–'} / ${e.textRank ?? '–'})`]),
  );
  if (process.env.SAMPLE_APP_SCREENSHOT) {
    await page.uncheck('#hybrid');
    await page.selectOption('#category', 'cooking');
    await searchFor('baking sourdough bread at home');
    await page.screenshot({ path: process.env.SAMPLE_APP_SCREENSHOT, fullPage: true });
  }
});
