/**
 * The layering of src/ (DESIGN.md): each folder imports only folders below it, and no two folders
 * import each other. Read from the import statements of every source file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../src');

/** Layers, lowest first; a folder may import its own layer's files and any lower layer. */
const LAYERS: readonly string[] = [
  'errors',
  'vocabulary',
  'codecs',
  'typeorm-internals',
  'dialects',
  'column',
  'query',
  'bulk',
  'migrations',
  'connection',
  'index',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `errors.ts` -> 'errors', `dialects/postgres/sql.ts` -> 'dialects', `index.ts` -> 'index'. */
function layerOf(file: string): string {
  const [first] = path.relative(SRC, file).split(path.sep) as [string];
  return first.replace(/\.ts$/, '');
}

function localImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)'(\.[^']*)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => {
    const resolved = path.resolve(path.dirname(file), specifier);
    return fs.existsSync(`${resolved}.ts`) ? `${resolved}.ts` : path.join(resolved, 'index.ts');
  });
}

const edges = sourceFiles(SRC).flatMap((file) => localImports(file).map((target) => ({ file, from: layerOf(file), to: layerOf(target) })));

describe('src/ layering', () => {
  it('knows every top-level folder and file of src/', () => {
    const unknown = [...new Set(sourceFiles(SRC).map(layerOf))].filter((layer) => !LAYERS.includes(layer));
    expect(unknown).toEqual([]);
  });

  it('imports only downward: errors <- vocabulary <- codecs <- typeorm-internals <- dialects <- column <- query <- bulk <- migrations <- connection <- index', () => {
    const upward = edges
      .filter((edge) => LAYERS.indexOf(edge.to) > LAYERS.indexOf(edge.from))
      .map((edge) => `${path.relative(SRC, edge.file)} (${edge.from}) imports ${edge.to}, a layer above it`);
    expect(upward).toEqual([]);
  });

  it('has no two folders importing each other', () => {
    const pairs = new Set(edges.filter((edge) => edge.from !== edge.to).map((edge) => `${edge.from}>${edge.to}`));
    const cycles = [...pairs].filter((pair) => pair.split('>').reverse().join('>') !== pair && pairs.has(pair.split('>').reverse().join('>')));
    expect(cycles).toEqual([]);
  });

  it('keeps every TypeORM internal in src/typeorm-internals: no deep typeorm/... value import elsewhere', () => {
    const deep = sourceFiles(SRC)
      .filter((file) => layerOf(file) !== 'typeorm-internals')
      .flatMap((file) =>
        [...fs.readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(typeorm\/[^']+)'/gm)].map((match) => `${path.relative(SRC, file)} imports ${match[1]}`),
      );
    expect(deep).toEqual([]);
  });

  it('reaches expressionMap, the @instanceof marker and databaseConnection only through src/typeorm-internals', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => layerOf(file) !== 'typeorm-internals')
      .flatMap((file) => {
        const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        return ['expressionMap', "'@instanceof'", 'databaseConnection', 'supportedDataTypes', 'withLengthColumnTypes']
          .filter((name) => text.includes(name) && !(name === 'databaseConnection' && /declare databaseConnection/.test(text)))
          .map((name) => `${path.relative(SRC, file)} uses ${name}`);
      });
    expect(offenders).toEqual([]);
  });

  it('reads options.type only in dialects/resolve.ts, and never uses the deprecated .connection', () => {
    const offenders = sourceFiles(SRC).flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const found: string[] = [];
      if (/options\.type\b/.test(text) && !file.endsWith(path.join('dialects', 'resolve.ts'))) found.push(`${path.relative(SRC, file)} reads options.type`);
      if (/[\w)\]]\.connection\b/.test(text) && layerOf(file) !== 'typeorm-internals') found.push(`${path.relative(SRC, file)} uses .connection`);
      return found;
    });
    expect(offenders).toEqual([]);
  });

  it('has dialects that import nothing above them and run no query', () => {
    const dialectFiles = sourceFiles(path.join(SRC, 'dialects'));
    const running = dialectFiles.filter((file) => /\.query\(/.test(fs.readFileSync(file, 'utf8'))).map((file) => path.relative(SRC, file));
    expect(running).toEqual([]);
  });
});
