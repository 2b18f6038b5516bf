/**
 * `@VectorIndex({ storage: 'binary' })` on PostgreSQL: a vector(3072) column (over pgvector's
 * 2,000-dimension limit for `vector` indexes) indexed by its binary codes,
 * `USING hnsw (((binary_quantize(embedding))::bit(3072)) bit_hamming_ops)`; findNearest reads the
 * `limit x rerank` nearest codes from the index and re-ranks them by the exact metric in one query.
 * Seeded clustered vectors: save, load, index, EXPLAIN, recall@10 against exact search in JS.
 * Heavy (3,072-dimension rows): typeorm-1.x only.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { explainNearest, searchNearest, UnsupportedVectorFeatureError, VectorColumn, VectorConfigurationError, VectorDataSource, VectorIndex, vectorIndexSql } from '../src';
import { vectorIndexOptionsFor } from '../src/dialects';
import { postgresDialect } from '../src/dialects/postgres';
import { postgresIndexMeaning } from '../src/dialects/postgres/ddl';
import { BACKENDS, recordQueries, rows } from './support/backends';
import { clusteredVectors, cosineDistance } from './support/vectors';

const DIMENSIONS = 3072;
const ROWS = 500;

@Entity('bq_doc')
class BinaryDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS)
  @VectorIndex({ metric: 'cosine', storage: 'binary' })
  embedding!: number[];
}

const postgres = BACKENDS.find((backend) => backend.name === 'postgres');

(postgres ? describe : describe.skip)(`storage: 'binary' on PostgreSQL (${ROWS} seeded rows x ${DIMENSIONS} dimensions)`, () => {
  let dataSource: VectorDataSource;
  const all = clusteredVectors(ROWS + 10, DIMENSIONS, 31, 25, 0.35);
  const vectors = all.slice(0, ROWS);
  const queries = all.slice(ROWS);
  beforeAll(async () => {
    dataSource = await postgres!.open([BinaryDoc]);
    const repo = dataSource.getRepository(BinaryDoc);
    for (let i = 0; i < ROWS; i += 100) await repo.insert(vectors.slice(i, i + 100).map((embedding) => ({ embedding })));
    await dataSource.query('ANALYZE bq_doc');
  });
  afterAll(() => postgres!.close(dataSource));

  it('creates the binary-code expression index, which a second migration:generate leaves alone; saves and loads the full float32 vectors', async () => {
    expect(await rows(dataSource, "SELECT indexdef FROM pg_indexes WHERE tablename = 'bq_doc' AND indexdef ~ 'hnsw'")).toEqual([
      { indexdef: `CREATE INDEX bq_doc_embedding_hnsw_cosine ON public.bq_doc USING hnsw (((binary_quantize(embedding))::bit(${DIMENSIONS})) bit_hamming_ops) WITH (m='16', ef_construction='64')` },
    ]);
    expect(vectorIndexSql(dataSource, { table: 'bq_doc', column: 'embedding', metric: 'cosine', storage: 'binary', dimensions: DIMENSIONS }).up).toEqual([
      `CREATE INDEX "bq_doc_embedding_hnsw_cosine" ON "bq_doc" USING hnsw (((binary_quantize("embedding"))::bit(${DIMENSIONS})) bit_hamming_ops) WITH (m = 16, ef_construction = 64)`,
    ]);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    const loaded = await dataSource.getRepository(BinaryDoc).findOneByOrFail({ id: 7 });
    expect(loaded.embedding).toEqual(vectors[6]);
  });

  it('over-fetches by Hamming distance through the index and re-ranks by exact cosine in one query; EXPLAIN shows the index; recall@10 against exact search', async () => {
    const repo = dataSource.getRepository(BinaryDoc);
    const exactTop = (query: number[]) =>
      vectors
        .map((v, i) => ({ id: i + 1, distance: cosineDistance(v, query) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, 10);
    const recorded = await recordQueries(dataSource, () => searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 }));
    const selects = recorded.filter((q) => q.query.startsWith('SELECT') && q.query.includes('bq_doc'));
    expect(selects).toHaveLength(1);
    expect(selects[0]!.query).toContain(
      `WHERE ("entity"."id") IN (SELECT "tv_candidate"."id" FROM "bq_doc" "tv_candidate" ORDER BY (CAST(binary_quantize("tv_candidate"."embedding") AS bit(${DIMENSIONS})) <~> CAST(binary_quantize(CAST($1 AS vector)) AS bit(${DIMENSIONS}))) LIMIT $2)`,
    );
    expect(selects[0]!.query).toMatch(/\("entity"\."embedding" <=> CAST\(\$1 AS vector\)\) AS "tv_distance".* ORDER BY "tv_distance" ASC LIMIT 10$/);
    expect(selects[0]!.parameters?.[1]).toBe(200);
    expect(recorded.filter((q) => q.query.includes('set_config')).map((q) => q.parameters)).toEqual([['transaction_read_only', 'on', 'enable_seqscan', 'off', 'hnsw.ef_search', '200', 'hnsw.iterative_scan', 'off', 'ivfflat.iterative_scan', 'off']]);
    const plain = await explainNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 });
    expect(plain).toMatchObject({ usesIndex: true, index: 'bq_doc_embedding_hnsw_cosine', warnings: [] });
    // PostgreSQL would compute the codes of all 500 out-of-line (TOAST) vectors, which it thinks
    // cheap: the search turns sequential scans off for its own query. Run inside a caller's
    // transaction too (a savepoint of its own).
    const viaIndex = await dataSource.transaction(async (manager) => {
      const txRepo = manager.getRepository(BinaryDoc);
      const explained = await explainNearest(txRepo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 });
      let found = 0;
      for (const query of queries) {
        const { rows: near, strategy, index } = await searchNearest(txRepo, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
        expect({ strategy, index }).toEqual({ strategy: 'index', index: 'bq_doc_embedding_hnsw_cosine' });
        const exact = exactTop(query);
        // The distances are the exact float32 ones, closest first.
        for (const n of near) expect(n.distance).toBeCloseTo(cosineDistance(vectors[n.entity.id - 1]!, query), 5);
        expect(near.map((n) => n.distance)).toEqual([...near.map((n) => n.distance)].sort((x, y) => x - y));
        found += near.filter((n) => exact.some((e) => e.id === n.entity.id)).length;
      }
      return { explained, found };
    });
    expect(viaIndex.explained).toMatchObject({ usesIndex: true, index: 'bq_doc_embedding_hnsw_cosine', warnings: [] });
    expect(viaIndex.explained.plan).toMatch(/Index Scan using bq_doc_embedding_hnsw_cosine on bq_doc tv_candidate/);
    const found = viaIndex.found;
    const recall = found / (10 * queries.length);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    // rerank: fewer candidates, fewer found; unknown and out-of-range values refused before any query.
    const narrow = await searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10, search: { rerank: 1 } });
    expect(narrow.scanned).toBe(10);
    await expect(searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', search: { rerank: 0 } })).rejects.toThrow(
      new VectorConfigurationError('findNearest search rerank 0 is not valid on PostgreSQL (pgvector); pass an integer from 1 to 1000.'),
    );
    await expect(searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', search: { reRank: 5 } as never })).rejects.toThrow(/has no setting 'reRank'; use .*\brerank\b/);
  });

  it('filters the re-ranked candidates, and answers exactly when too few pass', async () => {
    const repo = dataSource.getRepository(BinaryDoc);
    const { rows: near, strategy } = await searchNearest(repo, { column: 'embedding', vector: queries[1]!, metric: 'cosine', limit: 5, filter: (qb) => qb.where('entity.id <= :max', { max: 3 }) });
    expect(strategy).toBe('exact-fallback');
    expect(near.map((n) => n.entity.id).sort()).toEqual([1, 2, 3]);
  });
});

describe("storage: 'binary' refusals", () => {
  it('is refused on a backend without it, and on a non-float32 column', () => {
    const mariadb = new VectorDataSource({ type: 'mariadb' });
    expect(() => vectorIndexSql(mariadb, { table: 't', column: 'e', metric: 'cosine', storage: 'binary', dimensions: 8 })).toThrow(
      new UnsupportedVectorFeatureError(`Vector index storage "binary" is not available on MariaDB; leave storage out.`),
    );
    const sqlite = new VectorDataSource({ type: 'better-sqlite3', database: ':memory:' });
    expect(() => vectorIndexSql(sqlite, { table: 't', column: 'e', metric: 'cosine', storage: 'binary', dimensions: 12 })).toThrow(
      new UnsupportedVectorFeatureError("A SQLite (sqlite-vec) storage: 'binary' index needs a multiple of 8 dimensions (vec_quantize_binary packs whole bytes) but t.e has 12; leave storage out."),
    );
    // An existing binary index read from the catalog: its meaning, and the @VectorIndex that adopts it.
    const indexdef = 'CREATE INDEX d_bq ON public.d USING hnsw (((binary_quantize(e))::bit(3072)) bit_hamming_ops)';
    expect(postgresIndexMeaning(indexdef)).toEqual({ kind: 'hnsw', column: 'e', metric: 'hamming', settings: { m: 16, efConstruction: 64 }, storage: 'binary' });
    expect(vectorIndexOptionsFor(postgresDialect, { name: 'd_bq', definition: indexdef, meaning: postgresIndexMeaning(indexdef) })).toBe(
      "{ metric: 'cosine' /* or another metric to re-rank by */, storage: 'binary', name: 'd_bq' }",
    );
    const pg = new VectorDataSource({ type: 'postgres' });
    expect(() => vectorIndexSql(pg, { table: 't', column: 'e', metric: 'hamming', storage: 'binary', elementType: 'bit', dimensions: 8 })).toThrow(/converts float32 columns, but the column holds bit vectors; leave storage out/);
    expect(() => vectorIndexSql(pg, { table: 't', column: 'e', metric: 'hamming', storage: 'binary', dimensions: 8 })).toThrow(/has no 'hamming' distance/);
  });
});
