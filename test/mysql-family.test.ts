import 'reflect-metadata';
import { format } from 'mysql2';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, Table, type Logger } from 'typeorm';
import {
  addSelectDistance,
  andWhereDistance,
  findNearest,
  orderByCosine,
  orderByDistance,
  orderByInnerProduct,
  orderByL2,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorValueError,
} from '../src';
import { dialectOf } from '../src/dialects';
import { mysqlFamilyDialectForVersion } from '../src/dialects/mysql-family';
import { backendSelected, closeDataSource, openMysqlFamily, recordQueries } from './support/backends';
import { Doc, WiderDoc } from './support/entities';

/**
 * MariaDB and MySQL both speak mysql2, and TypeORM's `mysql` and `mariadb` types both reach either
 * server: the dialect comes from the server's VERSION(). MariaDB runs for real here; no MySQL 9
 * server can be installed on these machines, so the MySQL dialect is checked by its exact SQL,
 * parameters and errors.
 *
 * The tests on the MariaDB server are declared only when the run tests the mariadb backend:
 * `TEST_BACKENDS=sqlite` starts no MariaDB (test/support/global-setup.ts), so they are left out
 * rather than failing on a missing TEST_MARIADB_URL.
 */
const ON_MARIADB_SERVER = backendSelected('mariadb');

describe('MariaDB or MySQL, told apart by the server version', () => {
  it.each([
    ['11.8.3-MariaDB-ubu2404', 'MariaDB'],
    ['11.7.2-MariaDB-log', 'MariaDB'],
    ['12.0.1-MariaDB', 'MariaDB'],
    ['9.0.1', 'MySQL'],
    ['9.4.0-commercial', 'MySQL'],
  ])('VERSION() %p means %s', (version, name) => {
    expect(mysqlFamilyDialectForVersion(version).capabilities.name).toBe(name);
  });

  it.each([
    ['11.4.5-MariaDB', UnsupportedVectorFeatureError, 'MariaDB 11.4.5-MariaDB has no VECTOR type; upgrade to MariaDB 11.7 or later (11.8 is the tested LTS).'],
    ['10.11.6-MariaDB-0+deb12u1', UnsupportedVectorFeatureError, 'MariaDB 10.11.6-MariaDB-0+deb12u1 has no VECTOR type; upgrade to MariaDB 11.7 or later (11.8 is the tested LTS).'],
    ['8.0.36', UnsupportedVectorFeatureError, 'MySQL 8.0.36 has no VECTOR type; use MySQL 9.0 or later, or MariaDB 11.7 or later for search.'],
    ['unknown', VectorConfigurationError, `The server reported version "unknown", which typeorm-vector cannot read; connect to MariaDB 11.7+ or MySQL 9+.`],
  ])('VERSION() %p is refused with one sentence', (version, errorClass, message) => {
    expect(() => mysqlFamilyDialectForVersion(version)).toThrow(errorClass);
    expect(() => mysqlFamilyDialectForVersion(version)).toThrow(message);
  });

  if (ON_MARIADB_SERVER) it.each(['mysql', 'mariadb'] as const)("type: '%s' pointed at MariaDB picks MariaDB, asking the server once", async (type) => {
    const queries: string[] = [];
    const logger: Logger = {
      logQuery: (query) => void queries.push(query),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    const dataSource = await openMysqlFamily(type, [Doc], { logging: ['query'], logger });
    try {
      expect(dialectOf(dataSource).capabilities.name).toBe('MariaDB');
      const repo = dataSource.getRepository(Doc);
      await repo.insert([
        { title: 'x', embedding: [1, 0, 0] },
        { title: 'y', embedding: [0, 1, 0] },
      ]);
      const qb = repo.createQueryBuilder('doc').orderByL2('doc.embedding', [0.1, 0.9, 0]).limit(1);
      expect(qb.getQueryAndParameters()[0]).toContain('VEC_DISTANCE_EUCLIDEAN(`doc`.`embedding_vec`, ?)');
      expect((await qb.getMany()).map((d) => d.title)).toEqual(['y']);
      expect((await repo.createQueryBuilder('doc').orderByCosine('doc.embedding', [1, 0.1, 0]).getMany()).map((d) => d.title)).toEqual(['x', 'y']);
      expect(queries.filter((q) => q === 'SELECT VERSION() AS version')).toHaveLength(1);
      // TypeORM's own 'mysql' type reads MariaDB's COLUMN_DEFAULT 'NULL' as a default and so re-alters
      // every nullable column on each sync (a plain nullable varchar too); type 'mariadb' does not.
      // Vector columns add nothing to that: the NOT NULL one is left alone.
      const changes = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
      const expected = type === 'mariadb' ? [] : ['ALTER TABLE `doc` CHANGE `draft` `draft` vector(3) NULL'];
      expect(changes).toEqual(expected);
    } finally {
      await closeDataSource(dataSource);
    }
  });
});

if (ON_MARIADB_SERVER) describe('MariaDB specifics, on the real server', () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await openMysqlFamily('mariadb', [Doc]);
  });
  afterAll(() => closeDataSource(dataSource));

  it('refuses a vector whose squared norm overflows float32 (MariaDB rejects it), before any SQL runs', async () => {
    const repo = dataSource.getRepository(Doc);
    const queries = await recordQueries(dataSource, async () => {
      await expect(repo.insert({ title: 'big', embedding: [2e19, 0, 0] })).rejects.toThrow(
        new VectorValueError(
          `Doc.embedding has a Euclidean norm of 2.00e+19, more than the 1.84e+19 MariaDB's VECTOR stores (its squared norm must fit a float32); scale the vector down, e.g. normalise it.`,
        ),
      );
      await expect(repo.save(repo.create({ title: 'big', embedding: [1.5e19, 1.5e19, 0] }))).rejects.toBeInstanceOf(VectorValueError);
    });
    expect(queries.filter((q) => /INSERT/i.test(q.query))).toEqual([]);
    expect(() => repo.createQueryBuilder('doc').orderByL2('doc.embedding', [0, 3e19, 0])).toThrow(
      /^Query vector for Doc\.embedding has a Euclidean norm of 3\.00e\+19/,
    );
    await repo.insert({ title: 'largest', embedding: [1.8e19, 0, 0] });
    expect((await repo.findOneByOrFail({ title: 'largest' })).embedding).toEqual([Math.fround(1.8e19), 0, 0]);
    expect(await repo.count()).toBe(1);
  });

  it('a second sync wants no change (comments too), while a real dimension change is detected', async () => {
    @Entity('commented')
    class Commented {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(5, { comment: 'unit vectors', nullable: true }) embedding!: number[] | null;
    }
    const { url } = dataSource.options as { url: string };
    const first = await new VectorDataSource({ type: 'mariadb', url, entities: [Commented], synchronize: true }).initialize();
    const again = await first.driver.createSchemaBuilder().log();
    await first.destroy();
    expect(again.upQueries.map((q) => q.query)).toEqual([]);

    const wider = await new VectorDataSource({ type: 'mariadb', url, entities: [WiderDoc] }).initialize();
    try {
      const changes = (await wider.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
      expect(changes.join('\n')).toContain('MODIFY `embedding_vec` VECTOR(4) NOT NULL');
      expect(changes.join('\n')).not.toContain('`draft`');
    } finally {
      await wider.destroy();
    }
  });

  it("TypeORM's own type: 'vector' cannot save a number[] on MariaDB (so the write tests mean something)", async () => {
    @Entity('plain_vector')
    class PlainVector {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'vector', length: 3 }) embedding!: number[];
    }
    const { url } = dataSource.options as { url: string };
    const plain = await new DataSource({ type: 'mariadb', url, entities: [PlainVector], synchronize: true }).initialize();
    try {
      await expect(plain.getRepository(PlainVector).insert({ embedding: [1, 2, 3] })).rejects.toThrow(/Column count doesn't match value count/);
    } finally {
      await plain.destroy();
    }
  });
});

describe('MySQL 9 dialect, by its exact SQL and parameters (no MySQL server can be installed here)', () => {
  const QUERY = [0.25, -0.5, 1];
  const QUERY_BYTES = Buffer.from(new Float32Array(QUERY).buffer);
  let dataSource: VectorDataSource;

  /** Builds entity metadata exactly as initialize() does once connected, without a server to connect to. */
  async function buildWithoutServer(entities: Function[]): Promise<VectorDataSource> {
    const built = new VectorDataSource({ type: 'mysql', host: '127.0.0.1', database: 'app', entities });
    await (built as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    return built;
  }

  beforeAll(async () => {
    dataSource = await buildWithoutServer([Doc]);
  });

  it('resolves to the MySQL dialect', () => {
    expect(dialectOf(dataSource).capabilities.name).toBe('MySQL');
  });

  it('creates VECTOR(N) columns', async () => {
    const queryRunner = dataSource.createQueryRunner();
    queryRunner.enableSqlMemory();
    await queryRunner.createTable(Table.create(dataSource.getMetadata(Doc), dataSource.driver));
    expect(queryRunner.getMemorySql().upQueries.map((q) => q.query)).toEqual([
      'CREATE TABLE `doc` (`id` int NOT NULL AUTO_INCREMENT, `title` varchar(255) NOT NULL, `embedding_vec` vector(3) NOT NULL, `draft` vector(3) NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
    ]);
    await queryRunner.release();
  });

  it('binds vectors as float32 little-endian bytes, which mysql2 sends as a binary literal', () => {
    const [sql, parameters] = dataSource
      .createQueryBuilder()
      .insert()
      .into(Doc)
      .values([
        { title: 'a', embedding: [1, 2, 3] },
        { title: 'b', embedding: new Float32Array([4, 5, 6]) as unknown as number[], draft: new Float32Array([0.5, -1, 2]) },
      ])
      .getQueryAndParameters();
    expect(sql).toBe('INSERT INTO `doc`(`id`, `title`, `embedding_vec`, `draft`) VALUES (DEFAULT, ?, ?, DEFAULT), (DEFAULT, ?, ?, ?)');
    expect(parameters).toEqual([
      'a',
      Buffer.from('0000803f0000004000004040', 'hex'),
      'b',
      Buffer.from('000080400000a0400000c040', 'hex'),
      Buffer.from('0000003f000080bf00000040', 'hex'),
    ]);
    expect(format(sql, parameters)).toBe(
      "INSERT INTO `doc`(`id`, `title`, `embedding_vec`, `draft`) VALUES (DEFAULT, 'a', X'0000803f0000004000004040', DEFAULT), (DEFAULT, 'b', X'000080400000a0400000c040', X'0000003f000080bf00000040')",
    );
    const [updateSql, updateParameters] = dataSource
      .createQueryBuilder()
      .update(Doc)
      .set({ embedding: [1, 2, 3] })
      .where('id = :id', { id: 7 })
      .getQueryAndParameters();
    expect(updateSql).toBe('UPDATE `doc` SET `embedding_vec` = ? WHERE `id` = ?');
    expect(updateParameters).toEqual([Buffer.from('0000803f0000004000004040', 'hex'), 7]);
  });

  it('decodes what mysql2 returns for a MySQL VECTOR (number[]) and raw bytes, exactly', () => {
    const metadata = dataSource.getMetadata(Doc);
    const embedding = metadata.findColumnWithPropertyName('embedding')!.transformer as { from(raw: unknown): unknown };
    const draft = metadata.findColumnWithPropertyName('draft')!.transformer as { from(raw: unknown): unknown };
    expect(embedding.from([Math.fround(0.1), 2, -3])).toEqual([Math.fround(0.1), 2, -3]);
    expect(embedding.from(QUERY_BYTES)).toEqual(QUERY);
    expect(draft.from(QUERY_BYTES)).toEqual(new Float32Array(QUERY));
    expect(draft.from(null)).toBeNull();
    expect(() => embedding.from('[1,2,3]')).toThrow(
      new VectorValueError('Doc.embedding returned the string "[1,2,3]" instead of VECTOR bytes; is the column of type VECTOR(N)?'),
    );
  });

  const sentence = (metric: string) =>
    `MySQL has no '${metric}' distance function outside HeatWave, so typeorm-vector only stores and loads vectors there; search on MariaDB 11.7+ (VEC_DISTANCE_EUCLIDEAN, VEC_DISTANCE_COSINE) or PostgreSQL with pgvector.`;
  const docs = () => dataSource.getRepository(Doc).createQueryBuilder('doc');

  it.each([
    ['orderByL2', 'l2', () => docs().orderByL2('doc.embedding', QUERY)],
    ['orderByCosine', 'cosine', () => docs().orderByCosine('doc.embedding', QUERY)],
    ['orderByInnerProduct', 'inner_product', () => docs().orderByInnerProduct('doc.embedding', QUERY)],
    ['addSelectDistance', 'cosine', () => docs().addSelectDistance('doc.embedding', QUERY, 'cosine', 'distance')],
    ['andWhereDistance', 'l2', () => docs().andWhereDistance('doc.embedding', QUERY, 'l2', '<', 1)],
    ['orderByL2 (function)', 'l2', () => orderByL2(docs(), 'doc.embedding', QUERY)],
    ['orderByCosine (function)', 'cosine', () => orderByCosine(docs(), 'doc.embedding', QUERY)],
    ['orderByInnerProduct (function)', 'inner_product', () => orderByInnerProduct(docs(), 'doc.embedding', QUERY)],
    ['orderByDistance (function)', 'l1', () => orderByDistance(docs(), 'doc.embedding', QUERY, 'l1')],
    ['addSelectDistance (function)', 'l1', () => addSelectDistance(docs(), 'doc.embedding', QUERY, 'l1', 'distance')],
    ['andWhereDistance (function)', 'cosine', () => andWhereDistance(docs(), 'doc.embedding', QUERY, 'cosine', '<', 1)],
  ])('%s throws, naming MySQL and what works', (_label, metric, attempt) => {
    expect(attempt).toThrow(new UnsupportedVectorFeatureError(sentence(metric)));
  });

  it('findNearest throws the same sentence before any query', async () => {
    await expect(findNearest(dataSource.getRepository(Doc), { column: 'embedding', vector: QUERY })).rejects.toThrow(
      new UnsupportedVectorFeatureError(sentence('l2')),
    );
  });

  it('an unknown metric is still an unknown metric', () => {
    expect(() => orderByDistance(docs(), 'doc.embedding', QUERY, 'dot' as never)).toThrow(VectorConfigurationError);
  });

  it('rejects more than 16383 dimensions when the DataSource starts', async () => {
    @Entity('too_wide_mysql')
    class TooWideMysql {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(16384) embedding!: number[];
    }
    await expect(buildWithoutServer([TooWideMysql])).rejects.toThrow(
      'TooWideMysql.embedding has 16384 dimensions, more than the 16383 that MySQL stores; reduce the dimensions to 16383 or fewer.',
    );
  });
});
