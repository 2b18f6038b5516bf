/**
 * createVectorExtension / createVectorIndex / dropVectorIndex in migrations, on real databases:
 * what they create, that down drops exactly that, and that bad input and database failures are
 * reported (driver error as cause) with nothing written.
 */
import 'reflect-metadata';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import {
  createVectorExtension,
  createVectorIndex,
  dropVectorExtension,
  dropVectorIndex,
  searchNearest,
  UnsupportedVectorFeatureError,
  VectorConfigurationError,
  VectorDataSource,
  VectorMigrationError,
  vectorIndexSql,
  type VectorIndexRequest,
} from '../src';
import { BACKENDS, sqlFamily } from './support/backends';
import { vectorIndexCatalog } from './support/catalog';
import { Doc } from './support/entities';

describe.each(BACKENDS)('vector index migration helpers on $name', (backend) => {
  let dataSource: VectorDataSource;
  let queryRunner: QueryRunner;
  const isPostgres = sqlFamily(backend.name) === 'postgres';
  const isSqlite = sqlFamily(backend.name) === 'sqlite';
  // SQLite's BLOB column does not record its size, so vec0 needs dimensions.
  const request: VectorIndexRequest = { table: 'doc', column: 'embedding_vec', metric: 'l2', ...(isSqlite ? { dimensions: 3 } : {}) };
  const isLibsql = sqlFamily(backend.name) === 'libsql';
  const expectedName = isSqlite ? 'doc_embedding_vec_vec0_l2' : isLibsql ? 'doc_embedding_vec_diskann_l2' : 'doc_embedding_vec_hnsw_l2';

  beforeAll(async () => {
    dataSource = await backend.open([Doc]);
    queryRunner = dataSource.createQueryRunner();
  });
  afterAll(async () => {
    await queryRunner?.release();
    await backend.close(dataSource);
  });

  it('createVectorExtension succeeds and dropVectorExtension undoes it where there is one', async () => {
    await expect(createVectorExtension(queryRunner)).resolves.toBeUndefined();
    if (isPostgres) {
      // The doc table still has vector columns: the drop fails, with pgvector's error as cause.
      const error = await dropVectorExtension(queryRunner).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VectorMigrationError);
      expect((error as Error).message).toMatch(/^Dropping the PostgreSQL \(pgvector\) extension failed at `DROP EXTENSION IF EXISTS vector` \(.*depend.*\); drop the vector columns/);
      expect((error as Error).cause).toBeInstanceOf(Error);
    } else {
      await expect(dropVectorExtension(queryRunner)).resolves.toBeUndefined();
    }
  });

  it('createVectorIndex runs exactly vectorIndexSql().up, and dropVectorIndex exactly its down', async () => {
    const { up, down } = vectorIndexSql(dataSource, request);
    const created = await recorded(() => createVectorIndex(queryRunner, request));
    expect(created.filter((q) => !isCatalogQuery(q))).toEqual(up);
    const catalog = await vectorIndexCatalog(backend.name, dataSource, 'doc');
    if (isPostgres) {
      expect(catalog[expectedName]).toBe(
        'CREATE INDEX doc_embedding_vec_hnsw_l2 ON public.doc USING hnsw (embedding_vec vector_l2_ops) WITH (m=\'16\', ef_construction=\'64\')',
      );
    } else if (isLibsql) {
      expect(catalog[expectedName]).toBe(
        `CREATE INDEX "doc_embedding_vec_diskann_l2" ON "doc" (libsql_vector_idx("embedding_vec", 'metric=l2', 'max_neighbors=64', 'compress_neighbors=float32'))`,
      );
    } else if (backend.name === 'mariadb') {
      expect(catalog[expectedName]).toBe("VECTOR KEY `doc_embedding_vec_hnsw_l2` (`embedding_vec`) `M`='16' `DISTANCE`='euclidean'");
    } else {
      expect(catalog[expectedName]).toBe('CREATE VIRTUAL TABLE "doc_embedding_vec_vec0_l2" USING vec0(embedding_vec float[3] distance_metric=l2)');
      expect(Object.keys(catalog).filter((n) => n.startsWith(`${expectedName}_`) && !/_(chunks|rowids|info|vector_chunks00)$/.test(n)).sort()).toEqual(
        [`${expectedName}_delete`, `${expectedName}_insert`, `${expectedName}_update`],
      );
    }
    const dropped = await recorded(() => dropVectorIndex(queryRunner, request));
    expect(dropped).toEqual(down);
    expect(Object.keys(await vectorIndexCatalog(backend.name, dataSource, 'doc')).filter((n) => n.startsWith(expectedName))).toEqual([]);
  });

  it('a database failure is a VectorMigrationError with the driver error as cause', async () => {
    await createVectorIndex(queryRunner, request);
    try {
      const error = await createVectorIndex(queryRunner, request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VectorMigrationError);
      expect((error as Error).message).toMatch(new RegExp(`^Creating vector index '${expectedName}' failed at \`CREATE .*(already exists|Duplicate key name).*; check the table, the column and the index options\\.$`));
      expect((error as Error).cause).toBeInstanceOf(Error);
    } finally {
      await dropVectorIndex(queryRunner, request);
    }
  });

  it('refuses a missing column before writing anything', async () => {
    const before = await vectorIndexCatalog(backend.name, dataSource, 'doc');
    await expect(createVectorIndex(queryRunner, { ...request, column: 'nope' })).rejects.toThrow(
      /^Column doc\.nope does not exist; create the table and its vector column before the index/,
    );
    await expect(createVectorIndex(queryRunner, { ...request, table: 'missing_table' })).rejects.toBeInstanceOf(VectorMigrationError);
    expect(await vectorIndexCatalog(backend.name, dataSource, 'doc')).toEqual(before);
  });

  it('refuses bad options before writing anything', async () => {
    const before = await vectorIndexCatalog(backend.name, dataSource, 'doc');
    await expect(createVectorIndex(queryRunner, { ...request, metric: 'manhattan' as never })).rejects.toThrow(/Unknown metric "manhattan"/);
    await expect(createVectorIndex(queryRunner, { ...request, name: 'x; DROP TABLE doc' })).rejects.toBeInstanceOf(VectorConfigurationError);
    await expect(createVectorIndex(queryRunner, { ...request, kind: 'btree' as never })).rejects.toBeInstanceOf(UnsupportedVectorFeatureError);
    await expect(dropVectorIndex(queryRunner, { ...request, m: 0 } as never)).rejects.toBeInstanceOf(VectorConfigurationError);
    expect(await vectorIndexCatalog(backend.name, dataSource, 'doc')).toEqual(before);
  });

  if (isPostgres) {
    it('reads the dimensions from the column and refuses more than pgvector indexes (2000)', async () => {
      await queryRunner.query('CREATE TABLE wide_doc (id serial PRIMARY KEY, embedding vector(2001) NOT NULL)');
      await expect(createVectorIndex(queryRunner, { table: 'wide_doc', column: 'embedding', metric: 'cosine' })).rejects.toThrow(
        /^A PostgreSQL \(pgvector\) 'hnsw' index takes at most 2000 dimensions but wide_doc\.embedding has 2001; index it as storage: 'halfvec' \(up to 4000\) or storage: 'binary' \(up to 64000\), use a smaller embedding/,
      );
      await expect(createVectorIndex(queryRunner, { ...request, dimensions: 4 })).rejects.toThrow(/dimensions 4 does not match column doc\.embedding_vec, which has 3/);
    });

    it('builds ivfflat with lists and the metric operator class', async () => {
      const ivf: VectorIndexRequest = { table: 'doc', column: 'embedding_vec', metric: 'inner_product', kind: 'ivfflat', lists: 10 };
      await createVectorIndex(queryRunner, ivf);
      expect((await vectorIndexCatalog('postgres', dataSource, 'doc')).doc_embedding_vec_ivfflat_inner_product).toBe(
        "CREATE INDEX doc_embedding_vec_ivfflat_inner_product ON public.doc USING ivfflat (embedding_vec vector_ip_ops) WITH (lists='10')",
      );
      await dropVectorIndex(queryRunner, ivf);
    });

    it('reads an l2 ivfflat index back although PostgreSQL omits its default operator class, and findNearest plans on it', async () => {
      const ivf: VectorIndexRequest = { table: 'doc', column: 'embedding_vec', metric: 'l2', kind: 'ivfflat', lists: 1 };
      await createVectorIndex(queryRunner, ivf);
      try {
        expect((await vectorIndexCatalog('postgres', dataSource, 'doc')).doc_embedding_vec_ivfflat_l2).toBe("CREATE INDEX doc_embedding_vec_ivfflat_l2 ON public.doc USING ivfflat (embedding_vec) WITH (lists='1')");
        const { strategy, index } = await searchNearest(dataSource.getRepository(Doc), { column: 'embedding', vector: [1, 0, 0], metric: 'l2', limit: 1 });
        // Planned on the index ('exact-fallback' when the table has fewer rows than the limit), not an exact search.
        expect(index).toBe('doc_embedding_vec_ivfflat_l2');
        expect(['index', 'exact-fallback']).toContain(strategy);
      } finally {
        await dropVectorIndex(queryRunner, ivf);
      }
    });

    it('runs CONCURRENTLY outside a transaction and refuses it inside one', async () => {
      const concurrent: VectorIndexRequest = { ...request, metric: 'cosine', concurrently: true };
      await queryRunner.startTransaction();
      try {
        await expect(createVectorIndex(queryRunner, concurrent)).rejects.toThrow(/uses concurrently: true but the migration runs in a transaction; add `transaction = false`/);
      } finally {
        await queryRunner.rollbackTransaction();
      }
      const sql = await recorded(() => createVectorIndex(queryRunner, concurrent));
      expect(sql.filter((q) => !isCatalogQuery(q))).toEqual([
        'CREATE INDEX CONCURRENTLY "doc_embedding_vec_hnsw_cosine" ON "doc" USING hnsw ("embedding_vec" vector_cosine_ops) WITH (m = 16, ef_construction = 64)',
      ]);
      await dropVectorIndex(queryRunner, concurrent);
    });
  } else if (backend.name === 'mariadb') {
    it('refuses a nullable column, naming the fix, and reads the dimensions from VECTOR(N)', async () => {
      const error = await createVectorIndex(queryRunner, { table: 'doc', column: 'draft', metric: 'cosine' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VectorMigrationError);
      expect((error as Error).message).toBe(
        "Column doc.draft is nullable but MariaDB's VECTOR INDEX only indexes NOT NULL columns; declare it NOT NULL (@VectorColumn(N) without nullable: true) before creating the index.",
      );
      await expect(createVectorIndex(queryRunner, { ...request, dimensions: 4 })).rejects.toThrow(/dimensions 4 does not match column doc\.embedding_vec, which has 3/);
    });
  } else if (isLibsql) {
    it('reads the dimensions from F32_BLOB(N)', async () => {
      await expect(createVectorIndex(queryRunner, { ...request, dimensions: 4 })).rejects.toThrow(/dimensions 4 does not match column doc\.embedding_vec, which has 3/);
    });
  } else {
    it('asks for dimensions for vec0, and says how to load sqlite-vec when it is missing', async () => {
      await expect(createVectorIndex(queryRunner, { ...request, dimensions: undefined })).rejects.toThrow(/'vec0' index needs the vector size .* pass dimensions: N/);
      const plain = new DataSource({ type: 'better-sqlite3', database: ':memory:' } as DataSourceOptions);
      await plain.initialize();
      const plainRunner = plain.createQueryRunner();
      try {
        const error = await createVectorExtension(plainRunner).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(VectorConfigurationError);
        expect((error as Error).message).toMatch(/^The vector functions of SQLite \(sqlite-vec\) are not loaded in this connection; create the DataSource with new VectorDataSource\(options\).*loadSqliteVec/);
        // By message: TypeORM 0.3 passes better-sqlite3's SqliteError through, a class from another Jest sandbox.
        expect((error as { cause?: { message?: string } }).cause?.message).toMatch(/no such function/);
      } finally {
        await plainRunner.release();
        await plain.destroy();
      }
    });
  }

  async function recorded(work: () => Promise<unknown>): Promise<string[]> {
    const queries: string[] = [];
    const original = queryRunner.query.bind(queryRunner);
    const spy = jest.spyOn(queryRunner, 'query').mockImplementation((async (sql: string, parameters?: unknown[]) => {
      queries.push(sql);
      return original(sql, parameters);
    }) as never);
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return queries;
  }
});

function isCatalogQuery(sql: string): boolean {
  return /^SELECT /.test(sql);
}
