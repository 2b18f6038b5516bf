/**
 * The published package, as a user gets it: `npm pack` (which runs `prepack`, so `npm run build`),
 * then a throw-away consumer project installs the tarball and uses it from plain CommonJS, from ESM
 * and from TypeScript against the packed `.d.ts` files. The other tests run src/ through ts-jest and
 * cannot notice a package that ships no dist/.
 *
 * Runs once, in the `typeorm-1.x` Jest project only (jest.config.js leaves it out of the others): the
 * child processes load the consumer's own `typeorm`, whatever line the Jest project maps.
 *
 * Nothing is compiled or downloaded: the consumer's `typeorm`, `reflect-metadata`, `better-sqlite3`
 * and `sqlite-vec` are `file:` links to this repository's node_modules, installed `--offline` with
 * `--ignore-scripts`.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Packing (a full `tsc` build) and the install: about 6 s on an idle 2-core machine, 20 s on a loaded one. */
const TIMEOUT = 60_000;
/** Written into dist/ before packing: `npm run build` must delete it, so it must not be in the tarball. */
const STALE_NAME = 'stale-file-from-an-earlier-build.js';
/**
 * What `npm pack` needs of the repository, copied to a temporary folder that is packed there, so a
 * test run never writes into this checkout's dist/ (two runs in one checkout would race on it).
 */
const PACKED_SOURCES = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'src'];
/** The consumer's dependencies besides the tarball, linked from this repository's node_modules. */
const LINKED = ['typeorm', 'reflect-metadata', 'better-sqlite3', 'sqlite-vec'];

interface Run {
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs `command args` in `cwd`; on failure throws an error naming `step` with the command's output. */
function run(step: string, command: string, args: string[], cwd: string): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024, shell: process.platform === 'win32' }, (error, stdout, stderr) => {
      const seconds = (Date.now() - started) / 1000;
      if (error) {
        const how = error.killed ? `was killed (${error.signal})` : `exited with ${String(error.code)}`;
        reject(new Error(`${step} failed: \`${[command, ...args].join(' ')}\` in ${cwd} ${how}.\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`));
      } else {
        resolve({ stdout, stderr, seconds });
      }
    });
  });
}

/** Runs a script in the consumer and parses the JSON it prints on its last line. */
async function runJson<T>(step: string, cwd: string, file: string): Promise<T> {
  const { stdout, stderr } = await run(step, process.execPath, [file], cwd);
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${step} printed no JSON.\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
  }
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Plain CommonJS, decorators applied by hand: saves four rows, then searches with both APIs. */
const CJS_SCRIPT = String.raw`
require('reflect-metadata');
const path = require('node:path');
const typeorm = require('typeorm');
const { Entity, PrimaryGeneratedColumn, Column } = typeorm;
const { VectorColumn, VectorDataSource, findNearest } = require('typeorm-vector');

class Doc {}
PrimaryGeneratedColumn()(Doc.prototype, 'id');
Column('text')(Doc.prototype, 'name');
VectorColumn(3)(Doc.prototype, 'embedding');
Entity('doc')(Doc);

(async () => {
  const dataSource = await new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Doc], synchronize: true }).initialize();
  try {
    const repo = dataSource.getRepository(Doc);
    await repo.save([
      { name: 'origin', embedding: [0, 0, 0] },
      { name: 'x', embedding: [3, 0, 0] },
      { name: 'far', embedding: [3, 4, 12] },
      { name: 'near', embedding: [3, 4, 2] },
    ]);
    const nearest = await findNearest(repo, { column: 'embedding', vector: [3, 4, 0], metric: 'l2', limit: 2 });
    const ordered = await repo.createQueryBuilder('d').orderByL2('d.embedding', [3, 4, 0]).limit(1).getMany();
    // The library's require('typeorm') must be the consumer's: one DataSource class, one SelectQueryBuilder prototype.
    const libraryTypeorm = require.resolve('typeorm', { paths: [path.dirname(require.resolve('typeorm-vector'))] });
    console.log(JSON.stringify({
      nearest: nearest.map(({ entity, distance }) => ({ id: entity.id, name: entity.name, embedding: entity.embedding, distance })),
      ordered: ordered.map(({ id, name }) => ({ id, name })),
      libraryEntry: require.resolve('typeorm-vector'),
      sameTypeorm: require(libraryTypeorm) === typeorm,
      isDataSource: dataSource instanceof typeorm.DataSource,
    }));
  } finally {
    await dataSource.destroy();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

/** ESM named imports, a namespace import and require() must all be the one CommonJS module instance. */
const ESM_SCRIPT = String.raw`
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { SelectQueryBuilder } from 'typeorm';
import { VectorColumn, VectorDataSource, findNearest } from 'typeorm-vector';
import * as ns from 'typeorm-vector';

const required = createRequire(import.meta.url)('typeorm-vector');
const named = { VectorColumn, VectorDataSource, findNearest };
console.log(JSON.stringify({
  types: Object.fromEntries(Object.entries(named).map(([name, value]) => [name, typeof value])),
  sameAsRequire: Object.fromEntries(Object.entries(named).map(([name, value]) => [name, value === required[name]])),
  namespaceSameAsRequire: Object.fromEntries(Object.keys(named).map((name) => [name, ns[name] === required[name]])),
  defaultIsRequire: ns.default === required,
  mixinOnEsmTypeorm: typeof SelectQueryBuilder.prototype.orderByL2 === 'function',
}));
`;

/** TypeScript against the packed .d.ts, with `node16` resolution so the `exports` map decides. */
const TS_CONSUMER = String.raw`
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn, type Repository, type SelectQueryBuilder } from 'typeorm';
import { VectorColumn, VectorDataSource, findNearest, type Nearest } from 'typeorm-vector';

@Entity()
export class Doc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(3) embedding!: number[];
}

export async function search(dataSource: VectorDataSource): Promise<Array<Nearest<Doc>>> {
  const repo: Repository<Doc> = dataSource.getRepository(Doc);
  // The query-builder methods come from the declaration merging in the packed .d.ts.
  const qb: SelectQueryBuilder<Doc> = repo
    .createQueryBuilder('d')
    .orderByL2('d.embedding', [1, 2, 3])
    .addSelectDistance('d.embedding', [1, 2, 3], 'cosine', 'distance');
  await qb.limit(5).getMany();

  // @ts-expect-error orderByL2 takes a column and a vector
  qb.orderByL2(42);
  // @ts-expect-error 'nope' is not a VectorMetric
  await findNearest(repo, { column: 'embedding', vector: [1], metric: 'nope' });

  const nearest = await findNearest(repo, { column: 'embedding', vector: [1, 2, 3], metric: 'l2', limit: 2 });
  const first: Doc | undefined = nearest[0]?.entity;
  const distance: number | undefined = nearest[0]?.distance;
  void first;
  void distance;
  return nearest;
}

export const dataSource = new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Doc] });
`;

const TS_CONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: [],
    // TypeORM's own declarations need @types/node and a newer lib; errors in the packed ones surface through consumer.ts.
    skipLibCheck: true,
    noEmit: true,
  },
  files: ['consumer.ts'],
};

describe('the packed package (npm pack, installed in a consumer project)', () => {
  let sourceDir: string;
  let packDir: string;
  let consumerDir: string;
  let packageFiles: string[];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'typeorm-vector-source-'));
    packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'typeorm-vector-pack-'));
    consumerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'typeorm-vector-consumer-'));

    for (const entry of PACKED_SOURCES) fs.cpSync(path.join(ROOT, entry), path.join(sourceDir, entry), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(sourceDir, 'node_modules'), 'dir');
    fs.mkdirSync(path.join(sourceDir, 'dist'));
    fs.writeFileSync(path.join(sourceDir, 'dist', STALE_NAME), '// left by test/package.test.ts: `npm run build` must delete it\n');
    // --ignore-scripts=false: prepack is what is under test, whatever the user's npm config says.
    const pack = await run('npm pack', NPM, ['pack', '--pack-destination', packDir, '--ignore-scripts=false'], sourceDir);
    timings.pack = pack.seconds;
    const tarballs = fs.readdirSync(packDir).filter((file) => file.endsWith('.tgz'));
    if (tarballs.length !== 1) throw new Error(`npm pack failed: expected one .tgz in ${packDir}, found ${JSON.stringify(tarballs)}.\n${pack.stderr}`);

    const linked = Object.fromEntries(LINKED.map((name) => [name, `file:${fs.realpathSync(path.join(ROOT, 'node_modules', name))}`]));
    const manifest = {
      name: 'typeorm-vector-consumer',
      version: '1.0.0',
      private: true,
      dependencies: { 'typeorm-vector': `file:${path.join(packDir, tarballs[0]!)}`, ...linked },
    };
    fs.writeFileSync(path.join(consumerDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // --legacy-peer-deps: npm's peer placement crashes on `file:` links ("Cannot read properties of null
    // (reading 'matches')", npm/cli#4367), and the consumer lists every peer it uses anyway.
    // --ignore-scripts: the links point into this repository; better-sqlite3's install script would rebuild it there.
    const install = await run(
      'npm install in the consumer',
      NPM,
      ['install', '--offline', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'],
      consumerDir,
    );
    timings.install = install.seconds;
    packageFiles = listFiles(path.join(consumerDir, 'node_modules', 'typeorm-vector')).sort();
  }, TIMEOUT);

  afterAll(() => {
    for (const dir of [sourceDir, packDir, consumerDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    console.log(`[package.test] seconds: ${JSON.stringify(timings)}`);
  });

  it('ships a freshly built dist/ with declarations, and no sources, tests or stale files', () => {
    expect(packageFiles).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
    expect(packageFiles.filter((file) => /^(src|test|bench|sample-app|scripts|docs)\//.test(file))).toEqual([]);
    expect(packageFiles.filter((file) => !file.startsWith('dist/') && file !== 'README.md' && file !== 'package.json' && !/^LICEN[CS]E/i.test(file))).toEqual([]);
    expect(packageFiles).not.toContain(`dist/${STALE_NAME}`);
    expect(packageFiles.filter((file) => file.endsWith('.map'))).toEqual([]);
    const withoutDeclarations = packageFiles.filter((file) => file.endsWith('.js') && !packageFiles.includes(file.replace(/\.js$/, '.d.ts')));
    expect(withoutDeclarations).toEqual([]);
  });

  it('works from plain CommonJS: findNearest and orderByL2 on better-sqlite3, one typeorm instance', async () => {
    fs.writeFileSync(path.join(consumerDir, 'script.cjs'), CJS_SCRIPT);
    const started = Date.now();
    const result = await runJson<{
      nearest: Array<{ id: number; name: string; embedding: number[]; distance: number }>;
      ordered: Array<{ id: number; name: string }>;
      libraryEntry: string;
      sameTypeorm: boolean;
      isDataSource: boolean;
    }>('node script.cjs (CommonJS consumer)', consumerDir, 'script.cjs');
    timings.cjs = (Date.now() - started) / 1000;
    expect(fs.realpathSync(result.libraryEntry)).toBe(fs.realpathSync(path.join(consumerDir, 'node_modules', 'typeorm-vector', 'dist', 'index.js')));
    expect(result.nearest).toEqual([
      { id: 4, name: 'near', embedding: [3, 4, 2], distance: 2 },
      { id: 2, name: 'x', embedding: [3, 0, 0], distance: 4 },
    ]);
    expect(result.ordered).toEqual([{ id: 4, name: 'near' }]);
    expect(result.sameTypeorm).toBe(true);
    expect(result.isDataSource).toBe(true);
  });

  it('works from ESM: named and namespace imports are the very objects require() gives', async () => {
    fs.writeFileSync(path.join(consumerDir, 'script.mjs'), ESM_SCRIPT);
    const started = Date.now();
    const result = await runJson<Record<string, unknown>>('node script.mjs (ESM consumer)', consumerDir, 'script.mjs');
    timings.esm = (Date.now() - started) / 1000;
    const all = (value: unknown) => ({ VectorColumn: value, VectorDataSource: value, findNearest: value });
    expect(result).toEqual({
      types: all('function'),
      sameAsRequire: all(true),
      namespaceSameAsRequire: all(true),
      defaultIsRequire: true,
      mixinOnEsmTypeorm: true,
    });
  });

  it('type-checks a strict TypeScript consumer against the packed .d.ts (node16 resolution)', async () => {
    fs.writeFileSync(path.join(consumerDir, 'consumer.ts'), TS_CONSUMER);
    fs.writeFileSync(path.join(consumerDir, 'tsconfig.json'), `${JSON.stringify(TS_CONFIG, null, 2)}\n`);
    const tsc = await run('tsc on the TypeScript consumer', process.execPath, [TSC, '--noEmit', '-p', path.join(consumerDir, 'tsconfig.json')], consumerDir);
    timings.tsc = tsc.seconds;
    expect(tsc.stdout + tsc.stderr).toBe('');
  });
});
