/**
 * Two Jest projects run the same tests on both TypeORM lines the library supports: `typeorm-1.x`
 * (the `typeorm` dev dependency) and `typeorm-0.3` (the `typeorm03` dev dependency, an alias of
 * typeorm@0.3.x), in which every `typeorm` import, the library's own included, resolves to 0.3.
 * A third, `typeorm-0.3.20` (the `typeorm0320` dev dependency, typeorm@0.3.20, the oldest release
 * the peer range allows), runs the schema-sync tests, since 0.3.20–0.3.27 read vector columns
 * differently. test/ann-index-recall.test.ts (index loads and recall) and test/filtered-search.test.ts
 * (filtered kNN on 20,000-row indexes) run in `typeorm-1.x` only, and so do test/concurrency.test.ts
 * (10-connection pools for seconds), test/server-faults.test.ts (servers of its own, stopped and restarted),
 * test/bulk-load-kill.test.ts (a child process killed mid-load), test/binary-storage.test.ts
 * (500 rows of 3,072 dimensions) and test/pglite.test.ts (PGlite opening its own databases; the
 * connection does not depend on the line). The `pglite` backend itself runs in a few files only on
 * TypeORM 0.3 (see `onlyInFilesOn` in test/support/backends.ts).
 * `npx jest --selectProjects typeorm-0.3` runs one project. test/support/typeorm-line.ts
 * reads the line actually loaded; test/support/backends.ts picks the backends of that line.
 * The sample app's tests (test/sample-app.test.ts, test/sample-app-web.test.ts: its commands, npm run
 * demo, its page in headless Chromium) run in `typeorm-1.x` only: the app does not depend on the line.
 * test/package.test.ts (npm pack, then a consumer project installs the tarball) runs in `typeorm-1.x`
 * only: its child processes load the consumer's own typeorm, so a second run would test nothing new.
 * test/bench-results.test.ts (the benchmark's results.json check, no database) and test/docs-consistency.test.ts
 * (README and docs: no section twice, no broken relative link) run in `typeorm-1.x` only.
 */
const project = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
    // PGlite's CommonJS build loads Node built-ins with import(), which Jest's sandbox refuses: see the transform.
    '/@electric-sql/pglite[^/]*/dist/.+\\.cjs$': '<rootDir>/test/support/dynamic-import-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite)'],
};
/** Leaves the packaging test out of a project. */
const withoutPackageTest = { testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/package\\.test\\.ts$'] };

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...project, displayName: 'typeorm-1.x', globals: { TYPEORM_LINE_UNDER_TEST: '1.x' } },
    {
      ...project,
      displayName: 'typeorm-0.3',
      globals: { TYPEORM_LINE_UNDER_TEST: '0.3' },
      // The package test and the index loads (recall, filtered search) do not depend on the TypeORM line: once, in typeorm-1.x.
      testPathIgnorePatterns: [
        ...withoutPackageTest.testPathIgnorePatterns,
        '/ann-index-recall\.test\.ts$',
        '/filtered-search\.test\.ts$',
        '/sample-app(-web)?\.test\.ts$',
        '/concurrency\.test\.ts$',
        '/server-faults\.test\.ts$',
        '/bench-results\.test\.ts$',
        '/docs-consistency\.test\.ts$',
        '/bulk-load-kill\.test\.ts$',
        '/binary-storage\.test\.ts$',
        '/pglite\.test\.ts$',
      ],
      moduleNameMapper: typeormFrom('typeorm03'),
    },
    {
      ...project,
      ...withoutPackageTest,
      displayName: 'typeorm-0.3.20',
      globals: { TYPEORM_LINE_UNDER_TEST: '0.3' },
      testMatch: ['**/schema-sync.test.ts', '**/typeorm-lines.test.ts', '**/typeorm-internals.test.ts'],
      moduleNameMapper: typeormFrom('typeorm0320'),
    },
  ],
};

/** Makes every `typeorm` import, the library's own included, load the aliased install `dir`. */
function typeormFrom(dir) {
  return { '^typeorm$': `<rootDir>/node_modules/${dir}`, '^typeorm/(.*)$': `<rootDir>/node_modules/${dir}/$1` };
}
