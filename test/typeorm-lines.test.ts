import 'reflect-metadata';
import { SelectQueryBuilder } from 'typeorm';
import { VectorDataSource } from '../src';
import { attachDataSource, dataSourceOf } from '../src/typeorm-internals';
import { ALL_BACKENDS, BACKENDS } from './support/backends';
import { execFileSync } from 'node:child_process';
import { TYPEORM_DIR, TYPEORM_LINE, TYPEORM_VERSION, typeormChildProcess } from './support/typeorm-line';

declare const TYPEORM_LINE_UNDER_TEST: string | undefined;

describe(`TypeORM line under test (${TYPEORM_VERSION})`, () => {
  it('is the line this Jest project declares, so the moduleNameMapper took effect', () => {
    expect(typeof TYPEORM_LINE_UNDER_TEST).toBe('string');
    expect(TYPEORM_LINE).toBe(TYPEORM_LINE_UNDER_TEST);
    expect(TYPEORM_VERSION).toMatch(TYPEORM_LINE === '0.3' ? /^0\.3\.\d+$/ : /^1\.\d+\.\d+$/);
  });

  it('child processes the tests start (the TypeORM CLI) load the same TypeORM', () => {
    const resolved = execFileSync(process.execPath, [...typeormChildProcess.nodeArgs, '-e', "process.stdout.write(require.resolve('typeorm'))"], {
      env: { ...process.env, ...typeormChildProcess.env },
      encoding: 'utf8',
    });
    expect(resolved.startsWith(TYPEORM_DIR)).toBe(true);
  });

  it("installs the query-builder methods on this line's SelectQueryBuilder, the one its DataSources build", async () => {
    const deep = (require('typeorm/query-builder/SelectQueryBuilder') as { SelectQueryBuilder: typeof SelectQueryBuilder }).SelectQueryBuilder;
    expect(deep).toBe(SelectQueryBuilder);
    for (const name of ['orderByL2', 'orderByCosine', 'orderByInnerProduct', 'addSelectDistance', 'andWhereDistance']) {
      expect(typeof Object.getOwnPropertyDescriptor(SelectQueryBuilder.prototype, name)?.value).toBe('function');
    }
    const dataSource = await new VectorDataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    try {
      expect(dataSource.createQueryBuilder()).toBeInstanceOf(SelectQueryBuilder);
    } finally {
      await dataSource.destroy();
    }
  });

  it("finds a driver's or query runner's DataSource under this line's name for it, and says so when there is none", async () => {
    const dataSource = await new VectorDataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    try {
      expect(dataSourceOf(dataSource.driver)).toBe(dataSource);
      const queryRunner = dataSource.createQueryRunner();
      expect(dataSourceOf(queryRunner)).toBe(dataSource);
      const ownRunner = Object.create(Object.getPrototypeOf(queryRunner)) as object;
      attachDataSource(ownRunner, dataSource);
      expect((ownRunner as { connection: unknown }).connection).toBe(dataSource);
    } finally {
      await dataSource.destroy();
    }
    expect(() => dataSourceOf(new (class Lonely {})())).toThrow('Lonely has neither dataSource (TypeORM 1.x) nor connection (TypeORM 0.3).');
  });

  it('runs every backend of this line; a backend leaves a line only with a stated reason', () => {
    const expectedOn = {
      sqlite: ['0.3', '1.x'], sqlite3: ['0.3'], postgres: ['0.3', '1.x'], mariadb: ['0.3', '1.x'], libsql: ['0.3', '1.x'], 'libsql-memory': ['0.3', '1.x'], pglite: ['0.3', '1.x'],
    } as const;
    for (const [name, lines] of Object.entries(expectedOn)) {
      const backend = ALL_BACKENDS.find((b) => b.name === name)!;
      expect(!backend.unavailableOn?.[TYPEORM_LINE]).toBe((lines as readonly string[]).includes(TYPEORM_LINE));
    }
    for (const backend of ALL_BACKENDS) {
      const reason = backend.unavailableOn?.[TYPEORM_LINE];
      if (reason !== undefined) expect(reason.length).toBeGreaterThan(20);
      // A backend limited to some files on this line (onlyInFilesOn) says why, and this file is one of them.
      const limited = backend.onlyInFilesOn?.[TYPEORM_LINE];
      if (limited) expect([limited.reason.length > 20, limited.files.includes('typeorm-lines.test.ts')]).toEqual([true, true]);
      if (!process.env.TEST_BACKENDS) expect(BACKENDS.includes(backend)).toBe(reason === undefined);
    }
  });

  if (TYPEORM_LINE === '1.x') {
    it("refuses type 'sqlite' loudly, as TypeORM 1.x has no node sqlite3 driver", () => {
      expect(() => new VectorDataSource({ type: 'sqlite', database: ':memory:' } as never)).toThrow(
        /Wrong driver: "sqlite" given\. Supported drivers are: .*"better-sqlite3"/,
      );
    });
  }
});
