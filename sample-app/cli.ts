/**
 * The sample app's command line: `npm run demo -- <command>` or `npx ts-node sample-app/cli.ts <command>`.
 * With no command, `npm run demo` ingests the corpus if needed and runs a few searches.
 * DATABASE_URL picks the backend (unset: SQLite + sqlite-vec in sample-app/data/sample-app.sqlite).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { SampleApp, type Hit, type IngestProgress, type SampleAppOptions, type SearchOptions } from './app';

export interface CliIo {
  /** Prints one line of the command's output (default console.log). */
  out(line: string): void;
  /** Whether to draw progress bars (default: stderr is a terminal). */
  progress?: boolean;
}

const consoleIo: CliIo = { out: (line) => console.log(line), progress: process.stderr.isTTY };

/**
 * The program, printing through `io`; `run(['node', 'cli', 'search', 'bread'])` runs a command as the shell would.
 *
 * @example
 * await buildProgram({ out: (l) => lines.push(l) }, { databaseUrl: 'postgres://...' }).parseAsync(['search', 'bread'], { from: 'user' });
 */
export function buildProgram(io: CliIo = consoleIo, appOptions: SampleAppOptions = {}): Command {
  const program = new Command('sample-app')
    .description('Semantic search over 3,000 short texts with typeorm-vector, on SQLite, PostgreSQL, MariaDB or libSQL (DATABASE_URL).')
    .showHelpAfterError();

  /** Opens the app, prints the backend line, runs `work`, closes. */
  const withApp = async (work: (app: SampleApp) => Promise<void>, options: { ingest?: boolean } = {}): Promise<void> => {
    const app = await SampleApp.open({ log: io.out, ...appOptions });
    try {
      io.out(await app.backendLine());
      if (options.ingest !== false) await app.ensureIngested(progressBar(io));
      await work(app);
    } finally {
      await app.close();
    }
  };

  program.action(() => withApp((app) => demo(app, io)));

  program
    .command('ingest')
    .description('(re)load the corpus: embed each text and insert it, with a progress bar')
    .option('--limit <n>', 'load only the first N texts', positiveInt)
    .action((options: { limit?: number }) =>
      withApp(async (app) => {
        const { rows, seconds } = await app.ingest(options.limit, progressBar(io));
        io.out(`Ingested ${rows} texts with ${app.embedder.name} (${app.embedder.dimensions} dimensions) in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s).`);
      }, { ingest: false }),
    );

  searchOptions(program.command('search').argument('<text>', 'what to search for').description('the texts nearest to <text>, filtered by category and date'))
    .addOption(new Option('--hybrid', 'fuse full-text and vector ranks (findHybrid)'))
    .action((text: string, options: SearchOptions) =>
      withApp(async (app) => {
        const hits = await app.search(text, options);
        io.out(hits.length ? resultTable(hits, options.hybrid ? 'hybrid' : 'vector') : 'No texts match.');
      }),
    );

  program
    .command('similar')
    .argument('<id>', 'a text id (1-3000)', positiveInt)
    .description('the texts nearest to text <id> ("more like this")')
    .option('-k <n>', 'how many', positiveInt, 10)
    .action((id: number, options: { k: number }) =>
      withApp(async (app) => {
        const { source, hits } = await app.similar(id, options.k);
        io.out(`Texts like #${source.id} "${source.title}" (${source.category}, ${source.published}):`);
        io.out(resultTable(hits, 'vector'));
      }),
    );

  program
    .command('stats')
    .description('rows, dimensions, embedder, vector index and backend')
    .action(() =>
      withApp(async (app) => {
        const s = await app.stats();
        const table = new Table({ style: { head: [], border: [] }, chars: COMPACT });
        table.push({ rows: s.rows }, { categories: s.categories }, { dates: `${s.from} to ${s.to}` }, { dimensions: s.dimensions }, { embedder: s.embedder }, { 'vector index': s.index }, { backend: s.backend });
        io.out(table.toString());
      }, { ingest: false }),
    );

  searchOptions(program.command('explain').argument('<text>', 'a search').description('whether the search would use the vector index, and why not (explainNearest)'))
    .action((text: string, options: SearchOptions) =>
      withApp(async (app) => {
        const e = await app.explain(text, options);
        io.out(`uses the vector index: ${e.usesIndex ? `yes (${e.index})` : 'no'}; strategy: ${e.strategy}`);
        for (const warning of e.warnings) io.out(`warning: ${warning}`);
        io.out('plan:');
        for (const line of e.plan.split('\n')) io.out(`  ${line}`);
      }),
    );

  program
    .command('serve')
    .description('serve the search page on http://localhost:<port>')
    .option('--port <n>', 'port', portNumber, 3000)
    .action(async (options: { port: number }) => {
      const { startServer } = await import('./server');
      const app = await SampleApp.open({ log: io.out, ...appOptions });
      io.out(await app.backendLine());
      await app.ensureIngested(progressBar(io));
      const server = await startServer(app, options.port);
      io.out(`Search page on ${server.url} (Ctrl-C stops it)`);
      const stop = () => void server.close().then(() => app.close()).then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  return program;
}

function searchOptions(command: Command): Command {
  return command
    .option('-k <n>', 'how many results', positiveInt, 10)
    .addOption(new Option('--metric <metric>', 'distance').choices(['cosine', 'l2']).default('cosine'))
    .option('--category <name>', 'only texts of this category')
    .option('--since <date>', 'only texts published on or after this date (YYYY-MM-DD)');
}

/** The no-command run of `npm run demo`: a few searches that show what the library does. */
async function demo(app: SampleApp, io: CliIo): Promise<void> {
  const show = async (title: string, text: string, options: SearchOptions = {}) => {
    io.out(`\n${title}`);
    io.out(resultTable(await app.search(text, { k: 5, ...options }), options.hybrid ? 'hybrid' : 'vector'));
  };
  await show('search "baking sourdough bread at home" (findNearest, cosine):', 'baking sourdough bread at home');
  await show('search "training for a marathon race", fitness texts since 2024-01-01 (filtered findNearest):', 'training for a marathon race', { category: 'fitness', since: '2024-01-01' });
  await show('search "vector search" --hybrid (findHybrid: full text + vector, fused by RRF):', 'vector search', { hybrid: true });
  const { source, hits } = await app.similar(1, 5);
  io.out(`\nsimilar ${source.id} (texts like "${source.title}"):`);
  io.out(resultTable(hits, 'vector'));
  const e = await app.explain('baking sourdough bread at home');
  io.out(`\nexplain: the search above ${e.usesIndex ? `uses the vector index ${e.index}` : 'does not use a vector index'} (strategy ${e.strategy}).`);
  io.out('\nMore: npm run demo -- --help; npm run demo -- serve (a search page on http://localhost:3000).');
}

/** Table borders without a line between rows. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** A results table: rank, distance (or score and both ranks), title, category, date, id. */
export function resultTable(hits: Hit[], kind: 'vector' | 'hybrid'): string {
  const head = kind === 'hybrid' ? ['#', 'score', 'vector', 'text', 'title', 'category', 'published', 'id'] : ['#', 'distance', 'title', 'category', 'published', 'id'];
  const table = new Table({ head, style: { head: [], border: [] }, chars: COMPACT });
  for (const h of hits) {
    const measure = kind === 'hybrid' ? [h.score!.toFixed(4), h.vectorRank ?? '-', h.textRank ?? '-'] : [h.distance!.toFixed(4)];
    table.push([h.rank, ...measure, h.title, h.category, h.published, h.id]);
  }
  return table.toString();
}

function progressBar(io: CliIo): ((progress: IngestProgress) => void) | undefined {
  if (!io.progress) return undefined;
  let bar: SingleBar | undefined;
  let stage: IngestProgress['stage'] | undefined;
  let started = Date.now();
  return (progress) => {
    if (progress.stage !== stage) {
      bar?.stop();
      stage = progress.stage;
      started = Date.now();
      bar = new SingleBar({ format: `${stage === 'embed' ? 'embed ' : 'insert'} [{bar}] {value}/{total} texts, {rate} rows/s`, stream: process.stderr, hideCursor: true });
      bar.start(progress.total, 0, { rate: 0 });
    }
    bar!.update(progress.done, { rate: Math.round(progress.done / Math.max(0.001, (Date.now() - started) / 1000)) });
    if (progress.done >= progress.total) bar!.stop();
  };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${value} is not a positive whole number.`);
  return n;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`${value} is not a port number (0-65535).`);
  return n;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      console.error(error instanceof Error ? `Error: ${error.message}` : error);
      if (process.env.DEBUG) console.error(error);
      process.exit(1);
    });
}
