/**
 * The TypeORM line this test run is on, read from the `typeorm` package that `require('typeorm')`
 * actually loads (jest.config.js maps it to the `typeorm03` install in the `typeorm-0.3` project).
 * The only place the tests branch on the TypeORM line; test/support/backends.ts uses it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type TypeormLine = '0.3' | '1.x';

declare const TYPEORM_LINE_UNDER_TEST: TypeormLine | undefined;

/** The folder of the `typeorm` package loaded in this run. */
export const TYPEORM_DIR: string = path.dirname(require.resolve('typeorm'));

/** The version of the `typeorm` package loaded in this run, e.g. `0.3.31` or `1.1.1`. */
export const TYPEORM_VERSION: string = loadedTypeormVersion();

/** The line of `TYPEORM_VERSION`. */
export const TYPEORM_LINE: TypeormLine = lineOf(TYPEORM_VERSION);

const declared = typeof TYPEORM_LINE_UNDER_TEST === 'string' ? TYPEORM_LINE_UNDER_TEST : undefined;
if (declared && declared !== TYPEORM_LINE) {
  throw new Error(
    `The Jest project for TypeORM ${declared} loaded typeorm ${TYPEORM_VERSION}; check the moduleNameMapper in jest.config.js.`,
  );
}

/**
 * Node arguments and environment that make a child process (the TypeORM CLI) load the TypeORM of
 * this run, and the path of a file of that TypeORM package (e.g. `cli.js`).
 */
export const typeormChildProcess = {
  nodeArgs: ['-r', path.join(__dirname, 'typeorm-line-require-hook.js')],
  env: { TYPEORM_VECTOR_TYPEORM_DIR: TYPEORM_DIR },
  file: (name: string): string => path.join(TYPEORM_DIR, name),
};

function loadedTypeormVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(TYPEORM_DIR, 'package.json'), 'utf8')) as { name: string; version: string };
  if (manifest.name !== 'typeorm') throw new Error(`require('typeorm') resolved to ${TYPEORM_DIR}, which is not the typeorm package.`);
  return manifest.version;
}

function lineOf(version: string): TypeormLine {
  if (/^0\.3\.\d+/.test(version)) return '0.3';
  if (/^1\.\d+\.\d+/.test(version)) return '1.x';
  throw new Error(`typeorm ${version} is on neither supported line; the tests run on 0.3.x and 1.x.`);
}
