/**
 * Every options object of the public API refuses a key it does not know with a
 * VectorConfigurationError listing the keys it knows: a misspelt option never silently does nothing.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  createLibsqlDataSource,
  createVectorIndex,
  dropVectorIndex,
  findNearest,
  insertVectors,
  libsql,
  pglite,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorIndex,
  vectorIndexSql,
} from '../src';
import { ALL_BACKENDS } from './support/backends';
import { Doc } from './support/entities';

const sqlite = ALL_BACKENDS.find((backend) => backend.name === 'sqlite')!;

function decorate(decorator: PropertyDecorator): void {
  @Entity()
  class Probe {
    @PrimaryGeneratedColumn() id!: number;
  }
  decorator(Probe.prototype, 'embedding');
}

describe('unknown option keys', () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await sqlite.open([Doc]);
  });
  afterAll(() => sqlite.close(dataSource));

  const request = { table: 'doc', column: 'embedding_vec', metric: 'l2' as const, dimensions: 3 };
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['@VectorColumn', () => decorate(VectorColumn(3, { nulable: true } as never)), /^Probe\.embedding has unknown option 'nulable'; use (type, )?nullable, as, name, comment, sizeCheck\.$/],
    ['@VectorIndex', () => decorate(VectorIndex({ metric: 'l2', efconstruction: 64 } as never)), /^@VectorIndex on Probe\.embedding has unknown option 'efconstruction'; use metric, kind, name, strict, .*filterColumns, partitionKey, .*efConstruction/],
    ['vectorIndexSql', () => vectorIndexSql(dataSource, { ...request, lits: 10 } as never), /^Unknown option 'lits' for a SQLite \(sqlite-vec\) 'vec0' index; use table, column, metric, kind, name, dimensions, .*filterColumns, partitionKey/],
    ['createVectorIndex', () => createVectorIndex(dataSource.createQueryRunner(), { ...request, concurrent: true } as never), /^Unknown option 'concurrent' for a SQLite/],
    ['dropVectorIndex', () => dropVectorIndex(dataSource.createQueryRunner(), { ...request, ifExists: true } as never), /^Unknown option 'ifExists' for a SQLite/],
    [
      'a filter column entry',
      () => vectorIndexSql(dataSource, { ...request, filterColumns: [{ column: 'title', type: 'varchar', nullable: false }] } as never),
      /^Filter column \{"column":"title","type":"varchar","nullable":false\} has no option 'nullable'; use column, type\.$/,
    ],
    ['findNearest', () => findNearest(dataSource.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], wehre: { title: 'a' } } as never), /^findNearest has no option 'wehre'; use column, vector, metric, limit, where, filter, search, strict, useIndex, readFrom\.$/],
    ['findNearest search', () => findNearest(dataSource.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], search: { efsearch: 10 } } as never), /^findNearest search has no setting 'efsearch'; use efSearch, iterativeScan, maxScanTuples, probes, maxProbes, overFetch, rerank, beamSize\.$/],
    ['insertVectors', () => insertVectors(dataSource.getRepository(Doc), [{ title: 'a', embedding: [1, 2, 3] }], { batch: 10 } as never), /^insertVectors has no option 'batch'; use batchSize, onProgress\.$/],
    ['vectorSearch', () => dataSource.getRepository(Doc).createQueryBuilder('doc').vectorSearch({ ef_search: 10 } as never), /^vectorSearch has no setting 'ef_search'; use efSearch/],
    ['libsql()', () => libsql({ url: ':memory:', authtoken: 'x' } as never), /^libsql\(\) has no option 'authtoken'; use url, authToken, syncUrl, syncInterval, encryptionKey, tls, concurrency\.$/],
    ['createLibsqlDataSource', () => createLibsqlDataSource({ url: ':memory:', synchUrl: 'x', syncurl: 'libsql://x' } as never), /^createLibsqlDataSource has no option 'syncurl'; use url, authToken/],
    ['pglite()', () => pglite({ dataDirectory: './db' } as never), /^pglite\(\) has no option 'dataDirectory'; use dataDir, extensions, relaxedDurability, instance\.$/],
  ];

  it.each(cases)('%s refuses an unknown key, listing the known ones', async (_entry, run, message) => {
    let error: unknown;
    try {
      await run();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VectorConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
