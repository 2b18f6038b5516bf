/**
 * Index storage options on an index no `@VectorIndex` declares (made by `createVectorIndex` in a
 * migration): findNearest finds it in the catalog and orders by the expression it holds
 * (PostgreSQL `storage: 'halfvec'`: the halfvec casts; `storage: 'binary'`: Hamming candidates
 * re-ranked exactly), EXPLAIN shows it read; the query builder reads a halfvec one when told with
 * `orderByDistance(..., { storage: 'halfvec' })` and refuses to pretend for a binary one.
 * sqlite-vec: `storage: 'int8'` (a vec0 `int8[N]` table of `vec_quantize_int8(column, 'unit')`),
 * declared or found in the catalog, re-ranked on the float32 column.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn, type DataSourceOptions, type QueryRunner, type Repository } from 'typeorm';
import {
  createVectorIndex,
  dropVectorIndex,
  explainNearest,
  explainNearestQuery,
  orderByDistance,
  searchNearest,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorIndex,
  vectorIndexSql,
} from '../src';
import { BACKENDS, recordQueries, rows } from './support/backends';
import { clusteredVectors, cosineDistance, l2 } from './support/vectors';

const DIMENSIONS = 64;
const ROWS = 1000;
/** PostgreSQL: wide enough rows that its planner prefers the index to scanning 1,000 of them. */
const PG_DIMENSIONS = 768;

@Entity('sc_doc')
class PlainDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

@Entity('sc_doc')
class WideDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(PG_DIMENSIONS) embedding!: number[];
}

/** Clustered rows scaled into [-1, 1] (one factor for all: the neighbours stay the same), and queries. */
function data(seed: number, dimensions = DIMENSIONS): { vectors: number[][]; queries: number[][] } {
  const all = clusteredVectors(ROWS + 10, dimensions, seed, 20, 0.3);
  const largest = all.reduce((most, v) => v.reduce((m, x) => Math.max(m, Math.abs(x)), most), 0);
  const scaled = all.map((v) => v.map((x) => Math.fround(x / largest)));
  return { vectors: scaled.slice(0, ROWS), queries: scaled.slice(ROWS) };
}

function recallAt10(found: ReadonlyArray<{ entity: { id: number } }>, vectors: number[][], query: number[], distance: (a: number[], b: number[]) => number): number {
  const exact = vectors
    .map((v, i) => ({ id: i + 1, d: distance(v, query) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 10);
  return found.filter((n) => exact.some((e) => e.id === n.entity.id)).length / 10;
}

const postgres = BACKENDS.filter((backend) => backend.name === 'postgres');

describe.each(postgres)('index storage found in the catalog on $name', (backend) => {
  let dataSource: VectorDataSource;
  let queryRunner: QueryRunner;
  const { vectors, queries } = data(41, PG_DIMENSIONS);
  beforeAll(async () => {
    dataSource = await backend.open([WideDoc]);
    queryRunner = dataSource.createQueryRunner();
    await dataSource.getRepository(WideDoc).insert(vectors.map((embedding) => ({ embedding })));
    await dataSource.query('ANALYZE sc_doc');
  });
  afterAll(async () => {
    await queryRunner?.release();
    await backend.close(dataSource);
  });

  it("findNearest and orderByDistance(..., { storage: 'halfvec' }) order by a createVectorIndex halfvec index's expression; EXPLAIN shows it", async () => {
    const request = { table: 'sc_doc', column: 'embedding', metric: 'cosine', storage: 'halfvec' } as const;
    await createVectorIndex(queryRunner, request);
    try {
      const repo = dataSource.getRepository(WideDoc);
      const cast = (sql: string) => `CAST(${sql} AS halfvec(${PG_DIMENSIONS}))`;
      const recorded = await recordQueries(dataSource, () => searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 }));
      const select = recorded.find((q) => q.query.startsWith('SELECT') && q.query.includes('sc_doc'))!;
      expect(select.query).toContain(`(${cast('"entity"."embedding"')} <=> ${cast('CAST($1 AS vector)')}) AS "tv_distance"`);
      const explained = await explainNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 });
      expect(explained).toMatchObject({ usesIndex: true, index: 'sc_doc_embedding_hnsw_cosine', strategy: 'index', warnings: [] });
      expect(explained.plan).toMatch(/Index Scan using sc_doc_embedding_hnsw_cosine/);
      let recall = 0;
      for (const query of queries) {
        const { rows: near, index } = await searchNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
        expect(index).toBe('sc_doc_embedding_hnsw_cosine');
        recall += recallAt10(near, vectors, query, cosineDistance) / queries.length;
      }
      expect(recall).toBeGreaterThanOrEqual(0.9);

      // The query builder does not read the catalog: without the option it orders by the exact distance, which the index does not serve.
      const plain = repo.createQueryBuilder('doc').orderByCosine('doc.embedding', queries[0]!).limit(10);
      expect(plain.getQuery()).toContain('ORDER BY ("doc"."embedding" <=> CAST(:tv_vector_');
      const unread = await explainNearestQuery(plain);
      expect(unread.usesIndex).toBe(false);
      expect(unread.warnings).toEqual([
        `ORDER BY ("doc"."embedding" <=> CAST(:${plain.getQuery().match(/CAST\(:(tv_vector_\d+)/)![1]} AS vector)) is not the expression the HNSW index sc_doc_embedding_hnsw_cosine serves, (CAST("doc"."embedding" AS halfvec(${PG_DIMENSIONS})) <=> CAST(CAST(:vector AS vector) AS halfvec(${PG_DIMENSIONS}))) (storage: 'halfvec'): order by it with orderByDistance(qb, 'doc.embedding', vector, 'cosine', { storage: 'halfvec' }), or declare @VectorIndex({ metric: 'cosine', storage: 'halfvec', name: 'sc_doc_embedding_hnsw_cosine' }) on WideDoc.embedding, which every query-builder method then follows.`,
      ]);
      const told = orderByDistance(repo.createQueryBuilder('doc'), 'doc.embedding', queries[0]!, 'cosine', { storage: 'halfvec' }).limit(10);
      expect(told.getQueryAndParameters()[0]).toContain(`ORDER BY (${cast('"doc"."embedding"')} <=> ${cast('CAST($1 AS vector)')}) ASC LIMIT 10`);
      const toldExplained = await explainNearestQuery(told);
      expect({ usesIndex: toldExplained.usesIndex, index: toldExplained.index }).toEqual({ usesIndex: true, index: 'sc_doc_embedding_hnsw_cosine' });
      expect((await told.getMany()).map((doc) => doc.id)).toEqual((await searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 })).rows.map((n) => n.entity.id));
    } finally {
      await dropVectorIndex(queryRunner, request);
    }
  });

  it('findNearest re-ranks the Hamming candidates of a createVectorIndex binary index by the query metric; EXPLAIN shows it; the query builder refuses it', async () => {
    const request = { table: 'sc_doc', column: 'embedding', metric: 'cosine', storage: 'binary', name: 'sc_doc_codes' } as const;
    await createVectorIndex(queryRunner, request);
    try {
      const repo = dataSource.getRepository(WideDoc);
      for (const [metric, distance] of [['cosine', cosineDistance], ['l2', l2]] as const) {
        const recorded = await recordQueries(dataSource, () => searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric, limit: 10 }));
        const selects = recorded.filter((q) => q.query.startsWith('SELECT') && q.query.includes('sc_doc'));
        expect(selects).toHaveLength(1);
        expect(selects[0]!.query).toContain(`ORDER BY (CAST(binary_quantize("tv_candidate"."embedding") AS bit(${PG_DIMENSIONS})) <~> CAST(binary_quantize(CAST($1 AS vector)) AS bit(${PG_DIMENSIONS}))) LIMIT $2)`);
        expect(selects[0]!.query).toContain(`("entity"."embedding" ${metric === 'l2' ? '<->' : '<=>'} CAST($1 AS vector)) AS "tv_distance"`);
        const explained = await explainNearest(repo, { column: 'embedding', vector: queries[0]!, metric, limit: 10 });
        expect(explained).toMatchObject({ usesIndex: true, index: 'sc_doc_codes', strategy: 'index', warnings: [] });
        expect(explained.plan).toMatch(/Index Scan using sc_doc_codes on sc_doc tv_candidate/);
        let recall = 0;
        for (const query of queries) {
          const { rows: near, index, strategy } = await searchNearest(repo, { column: 'embedding', vector: query, metric, limit: 10 });
          expect({ index, strategy }).toEqual({ index: 'sc_doc_codes', strategy: 'index' });
          // Exact distances, closest first.
          for (const n of near) expect(n.distance).toBeCloseTo(distance(vectors[n.entity.id - 1]!, query), 4);
          recall += recallAt10(near, vectors, query, distance) / queries.length;
        }
        expect(recall).toBeGreaterThanOrEqual(0.9);
      }
      // One ORDER BY cannot re-rank: the query builder says so rather than order by the codes.
      const unread = await explainNearestQuery(repo.createQueryBuilder('doc').orderByCosine('doc.embedding', queries[0]!).limit(10));
      expect(unread).toMatchObject({
        usesIndex: false,
        warnings: [
          "The HNSW index sc_doc_codes holds codes (storage: 'binary') whose candidates must be re-ranked by the exact distance, which one ORDER BY cannot do, so the query builder never reads it: use findNearest(repository, { column: 'embedding', metric: 'cosine', vector, limit }), which reads it and re-ranks.",
        ],
      });
      expect(() => orderByDistance(repo.createQueryBuilder('doc'), 'doc.embedding', queries[0]!, 'cosine', { storage: 'binary' })).toThrow(
        new UnsupportedVectorFeatureError(
          "orderByDistance cannot read a storage: 'binary' index on PostgreSQL (pgvector): it returns candidates to re-rank by the exact distance, which one ORDER BY cannot do; use findNearest(repository, { column: 'embedding', metric: 'cosine', vector }), or leave storage out to order by the exact distance.",
        ),
      );
      expect(() => orderByDistance(repo.createQueryBuilder('doc'), 'doc.embedding', queries[0]!, 'cosine', { storage: 'int8' })).toThrow(
        new VectorConfigurationError("orderByDistance storage \"int8\" is not an index storage of PostgreSQL (pgvector); use 'halfvec', 'binary' or leave it out."),
      );
      expect(() => orderByDistance(repo.createQueryBuilder('doc'), 'doc.embedding', queries[0]!, 'cosine', { stroage: 'halfvec' } as never)).toThrow(
        new VectorConfigurationError("orderByDistance has no option 'stroage'; use strict, storage."),
      );
    } finally {
      await dropVectorIndex(queryRunner, request);
    }
  });
});

@Entity('sc_int8')
class Int8Stored {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS)
  @VectorIndex({ metric: 'cosine', storage: 'int8' })
  embedding!: number[];
}

const sqlite = BACKENDS.filter((backend) => backend.name === 'sqlite');

describe.each(sqlite)("storage: 'int8' on $name (sqlite-vec)", (backend) => {
  let dataSource: VectorDataSource;
  const { vectors, queries } = data(43);
  beforeAll(async () => {
    dataSource = await backend.open([Int8Stored, PlainDoc]);
    await dataSource.getRepository(Int8Stored).insert(vectors.map((embedding) => ({ embedding })));
    await dataSource.getRepository(PlainDoc).insert(vectors.map((embedding) => ({ embedding })));
  });
  afterAll(() => backend.close(dataSource));

  it("creates a vec0 int8[N] table of vec_quantize_int8(column, 'unit'), which a second migration:generate leaves alone", async () => {
    const [table] = await rows<{ sql: string }>(dataSource, "SELECT sql FROM sqlite_master WHERE name = 'sc_int8_embedding_vec0_cosine'");
    expect(table!.sql).toBe(`CREATE VIRTUAL TABLE "sc_int8_embedding_vec0_cosine" USING vec0(embedding int8[${DIMENSIONS}] distance_metric=cosine)`);
    const { up } = vectorIndexSql(dataSource, { table: 'sc_int8', column: 'embedding', metric: 'cosine', storage: 'int8', dimensions: DIMENSIONS });
    expect(up[2]).toBe(
      'CREATE TRIGGER "sc_int8_embedding_vec0_cosine_insert" AFTER INSERT ON "sc_int8" WHEN NEW."embedding" IS NOT NULL BEGIN INSERT INTO "sc_int8_embedding_vec0_cosine"(rowid, "embedding") VALUES (NEW.rowid, vec_quantize_int8(NEW."embedding", \'unit\')); END',
    );
    // -1 -> -128, 0 -> 0, 1 -> 127, beyond [-1, 1] clamped: what the index holds of the first row.
    const [codes] = await rows<{ codes: string }>(dataSource, 'SELECT vec_to_json(embedding) AS codes FROM sc_int8_embedding_vec0_cosine WHERE rowid = 1');
    expect(JSON.parse(codes!.codes)).toHaveLength(DIMENSIONS);
    expect(await rows(dataSource, "SELECT vec_to_json(vec_quantize_int8(vec_f32('[-1, 0, 1, 2, -3, 0.5]'), 'unit')) AS q")).toEqual([{ q: '[-128,0,126,127,-128,63]' }]);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
  });

  it('reads limit x rerank candidates from the int8 codes and re-ranks them exactly on the float32 column, declared or found in the catalog', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const check = async (repo: Repository<any>, index: string) => {
      const recorded = await recordQueries(dataSource, () => searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 }));
      const selects = recorded.filter((q) => q.query.startsWith('SELECT') && q.query.includes('"entity"'));
      expect(selects).toHaveLength(1);
      expect(selects[0]!.query).toContain(`rowid IN (SELECT rowid FROM "${index}" WHERE "embedding" MATCH vec_quantize_int8(?, 'unit') AND k = 200)`);
      expect(selects[0]!.query).toContain('vec_distance_cosine("entity"."embedding", ?) AS "tv_distance"');
      expect(await explainNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 })).toMatchObject({ usesIndex: true, index, warnings: [] });
      let recall = 0;
      for (const query of queries) {
        const { rows: near, strategy, scanned } = await searchNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
        expect({ strategy, scanned }).toEqual({ strategy: 'index', scanned: 200 });
        for (const n of near) expect(n.distance).toBeCloseTo(cosineDistance(vectors[n.entity.id - 1]!, query), 5);
        recall += recallAt10(near, vectors, query, cosineDistance) / queries.length;
      }
      expect(recall).toBeGreaterThanOrEqual(0.9);
    };
    await check(dataSource.getRepository(Int8Stored), 'sc_int8_embedding_vec0_cosine');
    const queryRunner = dataSource.createQueryRunner();
    try {
        await createVectorIndex(queryRunner, { table: 'sc_doc', column: 'embedding', metric: 'cosine', storage: 'int8', dimensions: DIMENSIONS });
        await check(dataSource.getRepository(PlainDoc), 'sc_doc_embedding_vec0_cosine');
    } finally {
      await queryRunner.release();
    }
    expect(() => vectorIndexSql(dataSource, { table: 'sc_doc', column: 'embedding', metric: 'hamming', storage: 'int8', dimensions: DIMENSIONS })).toThrow(/'hamming'/);
  });
});

@Entity('sc_refused')
class Int8OnPostgres {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(8)
  @VectorIndex({ metric: 'cosine', storage: 'int8' })
  embedding!: number[];
}

describe("storage: 'int8' where it is not", () => {
  it('fails when the DataSource builds its metadata, before any table is touched, naming the backend and what to use', async () => {
    const build = (options: DataSourceOptions) => (new VectorDataSource({ ...options, entities: [Int8OnPostgres] } as DataSourceOptions) as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    await expect(build({ type: 'postgres' })).rejects.toThrow(
      new UnsupportedVectorFeatureError(`Vector index storage "int8" is not available on PostgreSQL (pgvector); use storage 'halfvec', 'binary' or leave it out.`),
    );
    await expect(build({ type: 'mariadb', database: 'unused' })).rejects.toThrow(new UnsupportedVectorFeatureError(`Vector index storage "int8" is not available on MariaDB; leave storage out.`));
  });
});
