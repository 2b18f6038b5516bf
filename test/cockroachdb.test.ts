import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn, Table } from 'typeorm';
import {
  FullTextIndex,
  VectorIndex,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorValueError,
  orderByDistance,
  vectorIndexSql,
} from '../src';
import { dialectOf, resolveIndexDefinition, resolveOptions } from '../src/dialects';
import { cockroachdbDialect } from '../src/dialects/cockroachdb';
import { cockroachdbIndexMeaning } from '../src/dialects/cockroachdb/indexdef';
import { binaryVectorReads } from '../src/query/binary-vector-reads';
import { checkSearchTuning, resolveSearchTuning } from '../src/query/search-tuning';
import { Doc } from './support/entities';

/**
 * CockroachDB (TypeORM's `type: 'cockroachdb'`), checked by its exact SQL and parameters: no
 * CockroachDB server can be installed on these machines, so, as for MySQL, the statements are
 * built by TypeORM's real CockroachDB driver and query builder without a connection, and the
 * dialect's catalog and plan readers are fed rows in the shapes CockroachDB's documentation and
 * tests show (cockroachlabs.com/docs/v26.1/vector-indexes; cockroachdb/cockroach
 * pkg/sql/logictest/testdata/logic_test/vector_index). What only a server could show (that the
 * optimizer reads the index for this SQL, that the catalog text is exactly this) is listed in
 * docs/distributed.md.
 */
const QUERY = [0.25, -0.5, 1];

/** Builds entity metadata exactly as initialize() does once connected, without a server to connect to. */
async function buildWithoutServer(entities: Function[], options: { timeTravelQueries?: boolean } = {}): Promise<VectorDataSource> {
  const built = new VectorDataSource({ type: 'cockroachdb', host: '127.0.0.1', database: 'app', entities, timeTravelQueries: options.timeTravelQueries ?? false });
  await (built as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return built;
}

const escape = (name: string) => `"${name.replace(/"/g, '""')}"`;

describe('CockroachDB dialect, by its exact SQL and parameters (no CockroachDB server can be installed here)', () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await buildWithoutServer([Doc]);
  });
  const docs = () => dataSource.getRepository(Doc).createQueryBuilder('doc');

  it("type: 'cockroachdb' resolves to the CockroachDB dialect, connected through pg", () => {
    expect(resolveOptions({ type: 'cockroachdb' })).toEqual({ dialect: cockroachdbDialect, driver: 'pg-cockroachdb' });
    expect(dialectOf(dataSource).capabilities.name).toBe('CockroachDB');
  });

  it('creates VECTOR(N) columns through TypeORM’s CockroachDB driver', async () => {
    const queryRunner = dataSource.createQueryRunner();
    queryRunner.enableSqlMemory();
    await queryRunner.createTable(Table.create(dataSource.getMetadata(Doc), dataSource.driver));
    expect(queryRunner.getMemorySql().upQueries.map((q) => q.query)).toEqual([
      'CREATE SEQUENCE "doc_id_seq"',
      `CREATE TABLE "doc" ("id" INT DEFAULT nextval('"doc_id_seq"') NOT NULL, "title" varchar NOT NULL, "embedding_vec" vector(3) NOT NULL, "draft" vector(3), CONSTRAINT "PK_10d9859fc620db615c8aa74e324" PRIMARY KEY ("id"))`,
    ]);
    await queryRunner.release();
  });

  it('binds vectors as pgvector text, which CockroachDB casts to the VECTOR column', () => {
    const [sql, parameters] = dataSource
      .createQueryBuilder()
      .insert()
      .into(Doc)
      .values([
        { title: 'a', embedding: [1, 2, 3] },
        { title: 'b', embedding: new Float32Array([0.1, -0, 1e-7]) as unknown as number[], draft: new Float32Array([0.5, -1, 2]) },
      ])
      .getQueryAndParameters();
    expect(sql).toBe('INSERT INTO "doc"("title", "embedding_vec", "draft") VALUES ($1, $2, DEFAULT), ($3, $4, $5)');
    expect(parameters).toEqual(['a', '[1,2,3]', 'b', '[0.100000001,-0,1.00000001e-7]', '[0.5,-1,2]']);
    const [updateSql, updateParameters] = dataSource.createQueryBuilder().update(Doc).set({ embedding: [1, 2, 3] }).where('id = :id', { id: 7 }).getQueryAndParameters();
    expect(updateSql).toBe('UPDATE "doc" SET "embedding_vec" = $1 WHERE "id" = $2');
    expect(updateParameters).toEqual(['[1,2,3]', 7]);
  });

  it('decodes the pgvector text CockroachDB returns (shortest float32 decimals, exponents) exactly', () => {
    const metadata = dataSource.getMetadata(Doc);
    const embedding = metadata.findColumnWithPropertyName('embedding')!.transformer as { from(raw: unknown): unknown };
    const draft = metadata.findColumnWithPropertyName('draft')!.transformer as { from(raw: unknown): unknown };
    // CockroachDB prints elements with strconv.FormatFloat(v, 'g', -1, 32) (pkg/util/vector/vector.go).
    expect(embedding.from('[0.1,2,-3]')).toEqual([Math.fround(0.1), 2, -3]);
    expect(draft.from('[1e+06,-0,1.5e-07]')).toEqual(new Float32Array([1e6, -0, 1.5e-7]));
    expect(draft.from(null)).toBeNull();
    expect(() => embedding.from(42)).toThrow(new VectorValueError('Doc.embedding returned 42 instead of pgvector text; is the column of type vector?'));
  });

  it("findNearest reads vectors as text and binds query vectors as text: none of pgvector's binary forms, which no server here could test", () => {
    expect(cockroachdbDialect.codec.binaryRead).toBeUndefined();
    expect(cockroachdbDialect.codec.encodeParameter).toBeUndefined();
    expect(binaryVectorReads(dataSource.getMetadata(Doc), dataSource, cockroachdbDialect, 'entity', escape)).toBeUndefined();
  });

  it.each([
    ['orderByL2', () => docs().orderByL2('doc.embedding', QUERY), 'ORDER BY ("doc"."embedding_vec" <-> CAST($1 AS vector)) ASC'],
    ['orderByCosine', () => docs().orderByCosine('doc.embedding', QUERY), 'ORDER BY ("doc"."embedding_vec" <=> CAST($1 AS vector)) ASC'],
    ['orderByInnerProduct', () => docs().orderByInnerProduct('doc.embedding', QUERY), 'ORDER BY ("doc"."embedding_vec" <#> CAST($1 AS vector)) ASC'],
    ['orderByDistance l1', () => orderByDistance(docs(), 'doc.embedding', QUERY, 'l1'), 'ORDER BY l1_distance("doc"."embedding_vec", CAST($1 AS vector)) ASC'],
  ])('%s orders by the pgvector operator, the vector bound once as text', (_label, build, orderBy) => {
    const [sql, parameters] = build().limit(5).getQueryAndParameters();
    expect(sql).toBe(`SELECT "doc"."id" AS "doc_id", "doc"."title" AS "doc_title", "doc"."embedding_vec" AS "doc_embedding_vec", "doc"."draft" AS "doc_draft" FROM "doc" "doc" ${orderBy} LIMIT 5`);
    expect(parameters).toEqual(['[0.25,-0.5,1]']);
  });

  it('selects and filters by a distance with bound values only', () => {
    const [sql, parameters] = docs().select('doc.id').addSelectDistance('doc.embedding', QUERY, 'cosine', 'distance').andWhereDistance('doc.draft', QUERY, 'l2', '<', 0.5).getQueryAndParameters();
    expect(sql).toBe(
      'SELECT "doc"."id" AS "doc_id", ("doc"."embedding_vec" <=> CAST($1 AS vector)) AS "distance" FROM "doc" "doc" WHERE ("doc"."draft" <-> CAST($2 AS vector)) < $3',
    );
    expect(parameters).toEqual(['[0.25,-0.5,1]', '[0.25,-0.5,1]', 0.5]);
  });

  it("with TypeORM's timeTravelQueries the option's own value lands in the SQL (docs/distributed.md: leave it false)", async () => {
    // TypeORM (1.1.1 and 0.3.31) writes `AS OF SYSTEM TIME true`; qb.timeTravelQuery() writes follower_read_timestamp().
    const followerReads = await buildWithoutServer([Doc], { timeTravelQueries: true });
    const [sql] = followerReads.getRepository(Doc).createQueryBuilder('doc').select('doc.id').orderByL2('doc.embedding', QUERY).limit(3).getQueryAndParameters();
    expect(sql).toBe('SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" AS OF SYSTEM TIME true ORDER BY ("doc"."embedding_vec" <-> CAST($1 AS vector)) ASC LIMIT 3');
    const [follower] = docs().select('doc.id').orderByL2('doc.embedding', QUERY).limit(3).timeTravelQuery().getQueryAndParameters();
    expect(follower).toBe('SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" AS OF SYSTEM TIME follower_read_timestamp() ORDER BY ("doc"."embedding_vec" <-> CAST($1 AS vector)) ASC LIMIT 3');
  });

  it('an exact search hides the distance from the vector index with a cast (the optimizer folds + 0 away)', () => {
    expect(cockroachdbDialect.sql.unindexedDistance!('("doc"."embedding_vec" <-> CAST($1 AS vector))')).toBe('CAST(("doc"."embedding_vec" <-> CAST($1 AS vector)) AS DECIMAL)');
  });

  it('refuses other element types and more than 16000 dimensions, naming CockroachDB', async () => {
    @Entity('half_crdb')
    class HalfCrdb {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(3, { type: 'float16' }) embedding!: number[];
    }
    await expect(buildWithoutServer([HalfCrdb])).rejects.toThrow(UnsupportedVectorFeatureError);
    await expect(buildWithoutServer([HalfCrdb])).rejects.toThrow(/CockroachDB's VECTOR\(N\) holds float32 only/);
    @Entity('too_wide_crdb')
    class TooWideCrdb {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(16001) embedding!: number[];
    }
    await expect(buildWithoutServer([TooWideCrdb])).rejects.toThrow(
      'TooWideCrdb.embedding has 16001 dimensions, more than the 16000 that CockroachDB stores; reduce the dimensions to 16000 or fewer.',
    );
  });

  it('has no full-text search: @FullTextIndex is refused naming CockroachDB', async () => {
    @Entity('fts_crdb')
    @FullTextIndex(['title'])
    class FtsCrdb {
      @PrimaryGeneratedColumn() id!: number;
      @Column() title!: string;
    }
    await expect(buildWithoutServer([FtsCrdb])).rejects.toThrow(UnsupportedVectorFeatureError);
    await expect(buildWithoutServer([FtsCrdb])).rejects.toThrow(/CockroachDB/);
  });
});

describe('CockroachDB vector index (C-SPANN, 25.2+) DDL', () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await buildWithoutServer([Doc]);
  });

  it.each([
    ['l2', 'vector_l2_ops'],
    ['cosine', 'vector_cosine_ops'],
    ['inner_product', 'vector_ip_ops'],
  ] as const)('a %s index: CREATE VECTOR INDEX with opclass %s and every storage parameter; DROP INDEX table@index', (metric, opclass) => {
    const name = `doc_embedding_vec_cspann_${metric}`;
    expect(vectorIndexSql(dataSource, { table: 'doc', column: 'embedding_vec', metric })).toEqual({
      up: [`CREATE VECTOR INDEX "${name}" ON "doc" ("embedding_vec" ${opclass}) WITH (min_partition_size = 16, max_partition_size = 128, build_beam_size = 8)`],
      down: [`DROP INDEX "doc"@"${name}"`],
    });
  });

  it('takes its partition sizes and build beam, in a schema', () => {
    expect(vectorIndexSql(dataSource, { table: 'app.doc', column: 'embedding_vec', metric: 'cosine', name: 'doc_ann', minPartitionSize: 32, maxPartitionSize: 256, buildBeamSize: 16 })).toEqual({
      up: ['CREATE VECTOR INDEX "doc_ann" ON "app"."doc" ("embedding_vec" vector_cosine_ops) WITH (min_partition_size = 32, max_partition_size = 256, build_beam_size = 16)'],
      down: ['DROP INDEX "app"."doc"@"doc_ann"'],
    });
  });

  it.each([
    [{ metric: 'l1' }, UnsupportedVectorFeatureError, "A CockroachDB 'cspann' index cannot serve the 'l1' metric; use metric 'l2', 'cosine', 'inner_product'."],
    [{ metric: 'l2', kind: 'hnsw' }, UnsupportedVectorFeatureError, "CockroachDB has no 'hnsw' vector index; use kind 'cspann'."],
    [{ metric: 'l2', m: 16 }, VectorConfigurationError, "Unknown option 'm' for a CockroachDB 'cspann' index; use table, column, metric, kind, name, dimensions, elementType, storage, filterColumns, partitionKey, minPartitionSize, maxPartitionSize, buildBeamSize."],
    [{ metric: 'l2', minPartitionSize: 64, maxPartitionSize: 128 }, VectorConfigurationError, 'maxPartitionSize 128 is less than 4 x minPartitionSize (256); pass maxPartitionSize: 256 or a smaller minPartitionSize.'],
    [{ metric: 'l2', maxPartitionSize: 5000 }, VectorConfigurationError, /maxPartitionSize/],
    [{ metric: 'l2', buildBeamSize: 0 }, VectorConfigurationError, /buildBeamSize/],
  ])('refuses %p before any SQL runs', (options, errorClass, message) => {
    const attempt = () => resolveIndexDefinition(cockroachdbDialect, { table: 'doc', column: 'embedding_vec', ...options } as never);
    expect(attempt).toThrow(errorClass);
    expect(attempt).toThrow(message);
  });

  it('@VectorIndex on CockroachDB is checked when the DataSource starts and registered with TypeORM, which leaves it to typeorm-vector', async () => {
    @Entity('indexed_crdb')
    class IndexedCrdb {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(3) @VectorIndex({ metric: 'cosine', maxPartitionSize: 256 }) embedding!: number[];
    }
    const built = await buildWithoutServer([IndexedCrdb]);
    // (Registered twice when metadata is built this way, as on PostgreSQL: both entries are the same index, left to typeorm-vector.)
    expect([...new Map(built.getMetadata(IndexedCrdb).indices.map((index) => [index.name, index.synchronize]))]).toEqual([['indexed_crdb_embedding_cspann_cosine', false]]);
    @Entity('badly_indexed_crdb')
    class BadlyIndexedCrdb {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(3) @VectorIndex({ metric: 'l1' }) embedding!: number[];
    }
    await expect(buildWithoutServer([BadlyIndexedCrdb])).rejects.toThrow(/CockroachDB 'cspann' index cannot serve the 'l1' metric/);
  });

  it('reads its indexes back from pg_indexes, defaults filled in, and recreates them without the database name', () => {
    const rows = [
      { name: 'doc_ann', definition: 'CREATE INDEX doc_ann ON app.public.doc USING cspann (embedding_vec vector_cosine_ops) WITH (min_partition_size=32, max_partition_size=256)' },
      { name: 'doc_l2', definition: 'CREATE INDEX doc_l2 ON app.public.doc USING cspann (embedding_vec)' },
      { name: 'doc_tenant', definition: 'CREATE INDEX doc_tenant ON app.public.doc USING cspann (tenant_id ASC, embedding_vec vector_ip_ops)' },
    ];
    const [ann, l2, tenant] = cockroachdbDialect.introspection.readVectorIndexes!(rows);
    expect(ann).toEqual({
      name: 'doc_ann',
      definition: rows[0]!.definition,
      column: 'embedding_vec',
      kind: 'cspann',
      metric: 'cosine',
      meaning: { kind: 'cspann', column: 'embedding_vec', metric: 'cosine', settings: { minPartitionSize: 32, maxPartitionSize: 256, buildBeamSize: 8 }, elementType: 'float32' },
    });
    expect(l2?.meaning).toEqual({ kind: 'cspann', column: 'embedding_vec', metric: 'l2', settings: { minPartitionSize: 16, maxPartitionSize: 128, buildBeamSize: 8 }, elementType: 'float32' });
    // An index with prefix columns is not one typeorm-vector makes: listed with its vector column and
    // metric (findNearest then knows the column is indexed), its meaning unknown (never adopted).
    expect(tenant).toEqual({ name: 'doc_tenant', definition: rows[2]!.definition, column: 'embedding_vec', kind: 'cspann', metric: 'inner_product', meaning: undefined });
    const definition = resolveIndexDefinition(cockroachdbDialect, { table: 'doc', column: 'embedding_vec', metric: 'cosine' });
    expect(cockroachdbDialect.ddl!.existingIndex!.recreate(ann!, definition, escape)).toEqual([
      'CREATE VECTOR INDEX "doc_ann" ON "doc" ("embedding_vec" vector_cosine_ops) WITH (min_partition_size = 32, max_partition_size = 256, build_beam_size = 8)',
    ]);
    expect(cockroachdbIndexMeaning('CREATE INDEX i ON app.public.doc USING cspann ("Embedding" vector_l2_ops)')?.column).toBe('Embedding');
  });

  it('asks the catalog with bound values only', () => {
    expect(cockroachdbDialect.introspection.vectorIndexesOnTable!('app.doc', escape)).toEqual({
      sql: "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND tablename = $2 AND indexdef LIKE '% USING cspann %'",
      parameters: ['app', 'doc'],
    });
    expect(cockroachdbDialect.introspection.readColumn!([{ not_null: true, type: 'vector(384)' }])).toEqual({ nullable: false, dimensions: 384, type: 'vector' });
    expect(cockroachdbDialect.introspection.declaredDimensions!('vector(1536)')).toBe(1536);
  });
});

describe('CockroachDB search tuning and plans', () => {
  it('tunes with beamSize (vector_search_beam_size), SET LOCAL in the search transaction', () => {
    const tuning = resolveSearchTuning(cockroachdbDialect, { beamSize: 64 }, { limit: 10, filtered: true });
    expect(tuning).toEqual({ beamSize: 64, overFetch: 4 });
    const settings = cockroachdbDialect.sql.searchSettings!(tuning);
    expect(settings).toEqual({ vector_search_beam_size: '64' });
    const statements = cockroachdbDialect.sql.transactionSettings!;
    expect(statements.set(settings)).toEqual({ sql: 'SET LOCAL vector_search_beam_size = 64', parameters: [] });
    expect(statements.read(['vector_search_beam_size'])).toEqual({ sql: 'SELECT current_setting($1, true) AS s0', parameters: ['vector_search_beam_size'] });
    expect(statements.reset('vector_search_beam_size')).toBe('SET LOCAL vector_search_beam_size = DEFAULT');
    // The server's default beam (32) is left alone unless a search asks for another.
    expect(cockroachdbDialect.sql.searchSettings!(resolveSearchTuning(cockroachdbDialect, undefined, { limit: 10, filtered: false }))).toEqual({});
  });

  it.each([
    [{ efSearch: 100 }, UnsupportedVectorFeatureError, 'CockroachDB has no efSearch search setting; it tunes searches with beamSize (vector_search_beam_size) and overFetch.'],
    [{ beamSize: 0 }, VectorConfigurationError, 'findNearest search beamSize 0 is not valid on CockroachDB; pass an integer from 1 to 2048.'],
    [{ beamSize: 2.5 }, VectorConfigurationError, /an integer from 1 to 2048/],
  ])('refuses %p naming CockroachDB and what it has', (tuning, errorClass, message) => {
    expect(() => checkSearchTuning(cockroachdbDialect, tuning, 'findNearest search')).toThrow(errorClass);
    expect(() => checkSearchTuning(cockroachdbDialect, tuning, 'findNearest search')).toThrow(message);
  });

  it('other backends refuse beamSize, naming what they have', () => {
    expect(() => checkSearchTuning(dialectOfType('postgres'), { beamSize: 64 }, 'findNearest search')).toThrow(/^PostgreSQL \(pgvector\) has no beamSize search setting; it tunes searches with efSearch/);
  });

  // EXPLAIN of a prefix-filtered search, as cockroachlabs.com/docs/v26.1/vector-indexes prints it.
  const VECTOR_SEARCH_PLAN = [
    'distribution: local',
    'vectorized: true',
    '',
    '• top-k',
    '│ estimated row count: 3',
    '│ order: +column9',
    '│ k: 3',
    '│',
    '└── • render',
    '    │',
    '    └── • lookup join',
    '        │ table: items@items_pkey',
    '        │ equality: (id) = (id)',
    '        │ equality cols are key',
    '        │',
    '        └── • vector search',
    '              table: items@items_customer_id_embedding_idx',
    '              target count: 3',
    '              prefix spans: [/1 - /1]',
  ].map((info) => ({ info }));
  const FULL_SCAN_PLAN = ['distribution: local', 'vectorized: true', '', '• top-k', '│ k: 3', '│', '└── • scan', '      missing stats', '      table: items@items_pkey', '      spans: FULL SCAN'].map((info) => ({ info }));

  it('reads its EXPLAIN: a vector search node naming the index, or a full scan of the table', () => {
    const explain = cockroachdbDialect.explain!;
    expect(explain.prefix).toBe('EXPLAIN ');
    expect(explain.readsIndex(VECTOR_SEARCH_PLAN, 'items_customer_id_embedding_idx', '')).toBe(true);
    expect(explain.readsIndex(VECTOR_SEARCH_PLAN, 'items_pkey', '')).toBe(false);
    expect(explain.scansTable(VECTOR_SEARCH_PLAN, { name: 'items', alias: 'items' })).toBe(false);
    expect(explain.readsIndex(FULL_SCAN_PLAN, 'items_customer_id_embedding_idx', '')).toBe(false);
    expect(explain.scansTable(FULL_SCAN_PLAN, { name: 'items', alias: 'items' })).toBe(true);
    expect(explain.planText(FULL_SCAN_PLAN)).toContain('└── • scan\n      missing stats');
  });
});

function dialectOfType(type: 'postgres') {
  return resolveOptions({ type }).dialect;
}
