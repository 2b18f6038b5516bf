/**
 * explainNearest, explainNearestQuery and assertIndexUsed on every backend: each cause that keeps
 * a vector index from being read (or from answering well), where the backend has it, on data large
 * enough that PostgreSQL's planner and MariaDB's optimizer pick the index by themselves (3,000 rows,
 * ANALYZEd); SQLite and libSQL read an index only where the query names it, so fewer rows do.
 * The plan readers of each dialect are checked first on EXPLAIN rows as the databases return them.
 */
import 'reflect-metadata';
import { Column, Entity, Index, PrimaryGeneratedColumn, type Repository } from 'typeorm';
import {
  addSelectDistance,
  assertIndexUsed,
  assertIndexUsedQuery,
  explainNearest,
  explainNearestQuery,
  VectorColumn,
  VectorIndex,
  VectorIndexNotUsedError,
  type VectorDataSource,
} from '../src';
import { libsqlDialect } from '../src/dialects/libsql';
import { mariadbDialect } from '../src/dialects/mariadb';
import { postgresDialect } from '../src/dialects/postgres';
import { sqliteVecDialect } from '../src/dialects/sqlite-vec';
import { BACKENDS, sqlFamily } from './support/backends';
import { clusteredVectors } from './support/vectors';

const DIMENSIONS = 8;

@Entity('explain_doc')
class ExplainDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Index('explain_doc_bucket_idx') @Column({ type: 'integer' }) bucket!: number;
  @Column({ type: 'integer' }) tag!: number;
  @VectorColumn(DIMENSIONS) @VectorIndex({ metric: 'cosine' }) embedding!: number[];
}

/** No vector index at all. */
@Entity('explain_plain')
class PlainDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

/** Declares an index the test drops: as if its migration never ran. */
@Entity('explain_lost')
class LostDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) @VectorIndex({ metric: 'cosine', name: 'explain_lost_idx' }) embedding!: number[];
}

/** 50 rows: too few for PostgreSQL to read its index. */
@Entity('explain_small')
class SmallDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) @VectorIndex({ metric: 'cosine' }) embedding!: number[];
}

/** Declares 8 dimensions; the test makes the database's column (or vec0 index) 4. */
@Entity('explain_dim')
class DimDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

const INDEX_NAMES = { postgres: 'explain_doc_embedding_hnsw_cosine', mariadb: 'explain_doc_embedding_hnsw_cosine', libsql: 'explain_doc_embedding_diskann_cosine', sqlite: 'explain_doc_embedding_vec0_cosine' };
const KIND_LABELS = { postgres: 'HNSW', mariadb: 'HNSW', libsql: 'DiskANN', sqlite: 'vec0' };
const NAMES = { postgres: 'PostgreSQL (pgvector)', mariadb: 'MariaDB', libsql: 'libSQL', sqlite: 'SQLite (sqlite-vec)' };

/** SQL that makes the database differ from the entities: the lost index dropped, explain_dim's vectors 4-dimensional. */
const DRIFT: Record<keyof typeof NAMES, string[]> = {
  postgres: ['DROP INDEX explain_lost_idx', 'ALTER TABLE explain_dim ALTER COLUMN embedding TYPE vector(4)', 'ANALYZE'],
  mariadb: ['DROP INDEX explain_lost_idx ON explain_lost', 'ALTER TABLE explain_dim MODIFY embedding VECTOR(4) NOT NULL', 'ANALYZE TABLE explain_doc, explain_small'],
  libsql: ['DROP INDEX explain_lost_idx', 'DROP TABLE explain_dim', 'CREATE TABLE explain_dim (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, embedding F32_BLOB(4) NOT NULL)'],
  sqlite: [
    'DROP TRIGGER explain_lost_idx_insert',
    'DROP TRIGGER explain_lost_idx_update',
    'DROP TRIGGER explain_lost_idx_delete',
    'DROP TABLE explain_lost_idx',
    'CREATE VIRTUAL TABLE explain_dim_vec USING vec0(embedding float[4])',
    'CREATE TRIGGER explain_dim_vec_insert AFTER INSERT ON explain_dim BEGIN SELECT 1; END',
  ],
};

describe('plan readers', () => {
  it('PostgreSQL: Index Scan using <index>, Seq Scan on <table>, the plan text as EXPLAIN prints it', () => {
    const rows = [
      { 'QUERY PLAN': 'Limit  (cost=80.47..82.46 rows=10 width=57)' },
      { 'QUERY PLAN': '  ->  Index Scan using doc_hnsw on doc d  (cost=80.47..680.00 rows=3000 width=57)' },
    ];
    const explain = postgresDialect.explain!;
    expect(explain.readsIndex(rows, 'doc_hnsw', '')).toBe(true);
    expect(explain.readsIndex(rows, 'doc_hnsw_l2', '')).toBe(false);
    expect(explain.readsIndex([{ 'QUERY PLAN': '->  Bitmap Index Scan on "Doc_idx"  (cost=0.00..4.50 rows=30 width=0)' }], 'Doc_idx', '')).toBe(true);
    expect(explain.scansTable([{ 'QUERY PLAN': '  ->  Seq Scan on doc d  (cost=0.00..68.50 rows=3000 width=57)' }], { name: 'doc', alias: 'd' })).toBe(true);
    expect(explain.scansTable(rows, { name: 'doc', alias: 'd' })).toBe(false);
    expect(explain.planText(rows)).toBe('Limit  (cost=80.47..82.46 rows=10 width=57)\n  ->  Index Scan using doc_hnsw on doc d  (cost=80.47..680.00 rows=3000 width=57)');
    expect(explain.currentTuning!.read([{ ef_search: '40', iterative_scan: 'off' }])).toEqual({ efSearch: 40, iterativeScan: 'off' });
  });

  it('MariaDB: the key column names the index, type ALL is a full scan', () => {
    const rows = [{ id: 1, select_type: 'SIMPLE', table: 'd', type: 'index', possible_keys: null, key: 'doc_hnsw', rows: '10', Extra: '' }];
    const explain = mariadbDialect.explain!;
    expect(explain.readsIndex(rows, 'doc_hnsw', '')).toBe(true);
    expect(explain.scansTable(rows, { name: 'doc', alias: 'd' })).toBe(false);
    expect(explain.scansTable([{ ...rows[0], type: 'ALL', key: null, Extra: 'Using filesort' }], { name: 'doc', alias: 'd' })).toBe(true);
    expect(explain.planText(rows)).toBe('SIMPLE d type=index key=doc_hnsw rows=10');
  });

  it("SQLite and libSQL: SCAN <vec0> VIRTUAL TABLE, SCAN vector_top_k with the index named in the SQL, SCAN <alias>", () => {
    const vec0 = [
      { id: 4, parent: 0, notused: 91, detail: 'SEARCH d USING INTEGER PRIMARY KEY (rowid=?)' },
      { id: 8, parent: 0, notused: 0, detail: 'LIST SUBQUERY 1' },
      { id: 10, parent: 8, notused: 49, detail: 'SCAN doc_vec VIRTUAL TABLE INDEX 0:3{___}___' },
    ];
    expect(sqliteVecDialect.explain!.readsIndex(vec0, 'doc_vec', '')).toBe(true);
    expect(sqliteVecDialect.explain!.scansTable(vec0, { name: 'doc', alias: 'd' })).toBe(false);
    expect(sqliteVecDialect.explain!.planText(vec0)).toBe('SEARCH d USING INTEGER PRIMARY KEY (rowid=?)\nLIST SUBQUERY 1\n  SCAN doc_vec VIRTUAL TABLE INDEX 0:3{___}___');
    const topK = [{ id: 3, parent: 0, detail: 'SCAN d' }, { id: 5, parent: 0, detail: 'LIST SUBQUERY 1' }, { id: 7, parent: 5, detail: 'SCAN vector_top_k VIRTUAL TABLE INDEX 1:' }];
    const sql = "SELECT ... WHERE d.rowid IN (SELECT id FROM vector_top_k('doc_idx', vector32(?), 10))";
    expect(libsqlDialect.explain!.readsIndex(topK, 'doc_idx', sql)).toBe(true);
    expect(libsqlDialect.explain!.readsIndex(topK, 'other_idx', sql)).toBe(false);
    expect(libsqlDialect.explain!.scansTable(topK, { name: 'doc', alias: 'd' })).toBe(true);
  });
});

describe.each(BACKENDS)('explainNearest on $name', (backend) => {
  const family = sqlFamily(backend.name) as keyof typeof NAMES;
  const planned = family === 'postgres' || family === 'mariadb';
  const rowCount = planned ? 3000 : 600;
  const vectors = clusteredVectors(rowCount + 1, DIMENSIONS, 21);
  const query = vectors[rowCount]!;
  const index = INDEX_NAMES[family];
  const label = `the ${KIND_LABELS[family]} index ${index}`;
  let dataSource: VectorDataSource;
  let docs: Repository<ExplainDoc>;

  beforeAll(async () => {
    dataSource = await backend.open([ExplainDoc, PlainDoc, LostDoc, SmallDoc, DimDoc]);
    // pgvector builds HNSW several times faster over loaded rows than row by row.
    if (family === 'postgres') await dataSource.query(`DROP INDEX ${index}`);
    docs = dataSource.getRepository(ExplainDoc);
    for (let start = 0; start < rowCount; start += 1000) {
      const batch = vectors.slice(start, Math.min(start + 1000, rowCount)).map((embedding, i) => ({ bucket: (start + i) % 100, tag: (start + i) % 4, embedding }));
      await docs.createQueryBuilder().insert().values(batch).updateEntity(false).execute();
    }
    await dataSource.getRepository(SmallDoc).insert(vectors.slice(0, 50).map((embedding) => ({ embedding })));
    await dataSource.getRepository(PlainDoc).insert(vectors.slice(0, 50).map((embedding) => ({ embedding })));
    if (family === 'postgres') await dataSource.synchronize();
    for (const statement of DRIFT[family]) await dataSource.query(statement);
  });
  afterAll(() => backend.close(dataSource));

  describe('explainNearest (the query findNearest runs)', () => {
    it('reads the index serving the metric, with no warning, and assertIndexUsed resolves', async () => {
      const explanation = await explainNearest(docs, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
      expect(explanation).toMatchObject({ usesIndex: true, index, strategy: 'index', indexes: [index], warnings: [] });
      expect(explanation.plan).toMatch({ postgres: /Index Scan using explain_doc_embedding_hnsw_cosine/, mariadb: /key=explain_doc_embedding_hnsw_cosine/, libsql: /SCAN vector_top_k VIRTUAL TABLE/, sqlite: /SCAN explain_doc_embedding_vec0_cosine VIRTUAL TABLE/ }[family]);
      await expect(assertIndexUsed(docs, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 })).resolves.toMatchObject({ usesIndex: true, index });
    });

    it('says which metric the index serves when the query orders by another, and assertIndexUsed throws with that', async () => {
      const explanation = await explainNearest(docs, { column: 'embedding', vector: query, metric: 'l2', limit: 10 });
      const warning = `The ${KIND_LABELS[family]} index ${index} serves cosine, but this query orders by l2: add @VectorIndex({ metric: 'l2' }) to ExplainDoc.embedding or query with metric 'cosine'.`;
      expect(explanation).toMatchObject({ usesIndex: false, index: undefined, strategy: 'exact', indexes: [index], warnings: [warning] });
      const failure = assertIndexUsed(docs, { column: 'embedding', vector: query, metric: 'l2', limit: 10 });
      await expect(failure).rejects.toBeInstanceOf(VectorIndexNotUsedError);
      await expect(failure).rejects.toThrow(`findNearest on ExplainDoc.embedding (l2) reads no vector index: ${warning.replace(/\.$/, '')}.`);
    });

    it('says when the column has no vector index at all', async () => {
      const explanation = await explainNearest(dataSource.getRepository(PlainDoc), { column: 'embedding', vector: query, metric: 'cosine', limit: 5 });
      expect(explanation).toMatchObject({ usesIndex: false, strategy: 'exact' });
      expect(explanation.warnings).toEqual([
        "explain_plain.embedding has no vector index, so every row is read and sorted: add @VectorIndex({ metric: 'cosine' }) to PlainDoc.embedding and run the migration.",
      ]);
    });

    it('says when a declared @VectorIndex is not in the database', async () => {
      const explanation = await explainNearest(dataSource.getRepository(LostDoc), { column: 'embedding', vector: query, metric: 'cosine', limit: 5 });
      expect(explanation.warnings).toEqual([
        'LostDoc.embedding declares the vector index explain_lost_idx but explain_lost has no such index, so every row is read and sorted: run the migration that creates it (or synchronize).',
      ]);
    });

    it('says that useIndex: false keeps the index out', async () => {
      const explanation = await explainNearest(docs, { column: 'embedding', vector: query, metric: 'cosine', limit: 10, useIndex: false });
      expect(explanation).toMatchObject({ usesIndex: false, strategy: 'exact', warnings: [`findNearest was asked for an exact search (useIndex: false), so ${label} is not read: leave useIndex unset to read it.`] });
    });

    it('says when a selective filter makes the search end exactly (and, on PostgreSQL, that the planner skipped the index)', async () => {
      const explanation = await explainNearest(docs, { column: 'embedding', vector: query, metric: 'cosine', limit: 50, where: { bucket: 7 } });
      const fallsBack = `The filter passes too few of the nearest rows ${label} returns, so findNearest ends in an exact search of the rows that pass (strategy 'exact-fallback'): expected for a selective filter, where a B-tree index on the filtered columns keeps that search fast.`;
      if (family === 'postgres') {
        expect(explanation).toMatchObject({ usesIndex: false, strategy: 'index-iterative' });
        expect(explanation.warnings).toEqual([expect.stringMatching(/^PostgreSQL \(pgvector\) read explain_doc without the HNSW index explain_doc_embedding_hnsw_cosine, as its planner does when the filter is selective/), fallsBack]);
      } else {
        expect(explanation).toMatchObject({ usesIndex: true, strategy: 'index', warnings: [fallsBack] });
      }
    });

    it('says when the database column has other dimensions than the entity declares', async () => {
      const explanation = await explainNearest(dataSource.getRepository(DimDoc), { column: 'embedding', vector: query, metric: 'l2', limit: 5 });
      expect(explanation.warnings).toContain(
        family === 'sqlite'
          ? 'The vec0 index explain_dim_vec holds 4-dimensional vectors but DimDoc.embedding declares 8, so it cannot answer this query: recreate it (run the migration) for 8 dimensions.'
          : 'explain_dim.embedding holds 4-dimensional vectors in the database but DimDoc.embedding declares 8, so the query vector does not fit the column: run the migration that changes the column, or declare @VectorColumn(4).',
      );
    });

    if (family === 'postgres') {
      it('PostgreSQL: says when hnsw.ef_search is below the limit', async () => {
        const explanation = await explainNearest(docs, { column: 'embedding', vector: query, metric: 'cosine', limit: 20, search: { efSearch: 5 } });
        expect(explanation).toMatchObject({ usesIndex: true, index });
        expect(explanation.warnings).toEqual([
          `hnsw.ef_search is 5, below the LIMIT 20, so ${label} returns at most 5 rows to this query: pass search: { efSearch: 20 } or more (findNearest otherwise ends in an exact search).`,
        ]);
      });

      it('PostgreSQL: says when the planner passes over the index of a small table', async () => {
        const explanation = await explainNearest(dataSource.getRepository(SmallDoc), { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
        expect(explanation).toMatchObject({ usesIndex: false, strategy: 'index' });
        expect(explanation.warnings).toEqual([
          'PostgreSQL (pgvector) read explain_small without the HNSW index explain_small_embedding_hnsw_cosine, as its planner does when the table is small or its statistics are stale: run ANALYZE explain_small after loading rows (on a small table the exact scan is the faster plan).',
        ]);
        expect(explanation.plan).toMatch(/Seq Scan on explain_small/);
      });
    }
  });

  describe('explainNearestQuery (a query you built)', () => {
    const ordered = () => docs.createQueryBuilder('d').orderByCosine('d.embedding', query);

    it(planned ? 'reads the index for ORDER BY distance LIMIT k' : 'says the index is read only by a query that names it: findNearest', async () => {
      const explanation = await explainNearestQuery(ordered().limit(10));
      if (planned) {
        expect(explanation).toMatchObject({ usesIndex: true, index, warnings: [] });
        await expect(assertIndexUsedQuery(ordered().limit(10))).resolves.toMatchObject({ index });
      } else {
        expect(explanation).toMatchObject({
          usesIndex: false,
          warnings: [
            `${NAMES[family]} reads ${label} only through a query that names it, never for ORDER BY distance: use findNearest(repository, { column: 'embedding', metric: 'cosine', vector, limit }), which reads its candidates and re-ranks them.`,
          ],
        });
        await expect(assertIndexUsedQuery(ordered().limit(10))).rejects.toThrow(/^The query on d reads no vector index: /);
      }
    });

    it('says which metric the index serves when the query orders by another', async () => {
      const explanation = await explainNearestQuery(docs.createQueryBuilder('d').orderByL2('d.embedding', query).limit(10));
      expect(explanation.warnings).toEqual([
        `The ${KIND_LABELS[family]} index ${index} serves cosine, but this query orders by l2: add @VectorIndex({ metric: 'l2' }) to ExplainDoc.embedding or query with metric 'cosine'.`,
      ]);
    });

    it('says when the query is not ordered by a distance', async () => {
      const explanation = await explainNearestQuery(docs.createQueryBuilder('d').where('d.tag = 1').limit(10));
      expect(explanation.warnings).toEqual([
        'The query is not ordered by a distance to d.embedding, so no vector index serves it: order by one with orderByL2, orderByCosine or orderByInnerProduct, and add .limit(k).',
      ]);
    });

    it('says when the column has no vector index at all', async () => {
      const explanation = await explainNearestQuery(dataSource.getRepository(PlainDoc).createQueryBuilder('p').orderByCosine('p.embedding', query).limit(5));
      expect(explanation.warnings).toEqual([
        "explain_plain.embedding has no vector index, so every row is read and sorted: add @VectorIndex({ metric: 'cosine' }) to PlainDoc.embedding and run the migration.",
      ]);
    });

    if (planned) {
      it('says ORDER BY distance DESC never reads the index (ordered by a selected distance alias)', async () => {
        const qb = addSelectDistance(docs.createQueryBuilder('d'), 'd.embedding', query, 'cosine', 'distance').orderBy('distance', 'DESC').limit(10);
        const explanation = await explainNearestQuery(qb);
        expect(explanation).toMatchObject({
          usesIndex: false,
          warnings: [`ORDER BY the distance DESC (farthest first) never reads ${label}, which finds the nearest rows only: order ASC.`],
        });
      });

      it('says the index needs a LIMIT', async () => {
        const explanation = await explainNearestQuery(ordered());
        expect(explanation).toMatchObject({
          usesIndex: false,
          warnings: [`The query has no LIMIT, and ${NAMES[family]} reads ${label} only for ORDER BY distance with a LIMIT: add .limit(k).`],
        });
      });

      it('says when the ORDER BY is another expression than the index serves (a cast, arithmetic)', async () => {
        const qb =
          family === 'postgres'
            ? docs.createQueryBuilder('d').orderBy('d.embedding::halfvec(8) <=> CAST(:v AS halfvec(8))')
            : docs.createQueryBuilder('d').orderBy('VEC_DISTANCE_COSINE(d.embedding, VEC_FromText(:v)) + 0');
        const explanation = await explainNearestQuery(qb.setParameter('v', JSON.stringify(query)).limit(10));
        const expected = family === 'postgres' ? '("d"."embedding" <=> CAST(:vector AS vector))' : 'VEC_DISTANCE_COSINE(`d`.`embedding`, :vector)';
        expect(explanation.usesIndex).toBe(false);
        expect(explanation.warnings).toEqual([
          `ORDER BY ${family === 'postgres' ? 'd.embedding::halfvec(8) <=> CAST(:v AS halfvec(8))' : 'VEC_DISTANCE_COSINE(d.embedding, VEC_FromText(:v)) + 0'} is not the expression ${label} serves, ${expected}: order by exactly that, e.g. with orderByCosine(qb, 'd.embedding', vector), with no cast or arithmetic around the column or the distance.`,
        ]);
      });

      it('says when the planner reads another index for a selective WHERE', async () => {
        const explanation = await explainNearestQuery(ordered().where('d.bucket = 7').limit(10));
        expect(explanation.usesIndex).toBe(false);
        expect(explanation.warnings).toEqual([
          family === 'postgres'
            ? 'PostgreSQL (pgvector) read explain_doc without the HNSW index explain_doc_embedding_hnsw_cosine, as its planner does when the filter is selective (reading the rows that pass and sorting them costs less): nothing to fix while few rows pass, else run ANALYZE explain_doc so the planner sees how many do.'
            : 'MariaDB read explain_doc without the HNSW index explain_doc_embedding_hnsw_cosine, as its optimizer does when another index serves the WHERE: use findNearest, which reads the VECTOR INDEX in a derived table and filters its candidates.',
        ]);
      });

      it('says a WHERE on the index read may leave fewer rows than the limit', async () => {
        const explanation = await explainNearestQuery(ordered().where('d.id > 0').limit(10));
        expect(explanation).toMatchObject({
          usesIndex: true,
          index,
          warnings: [`The WHERE is applied to the rows ${label} returns, so fewer than LIMIT 10 rows may come back: use findNearest, which reads more candidates until enough pass.`],
        });
      });
    }

    if (family === 'postgres') {
      it("PostgreSQL: reads hnsw.ef_search from the query builder's transaction", async () => {
        const runner = dataSource.createQueryRunner();
        await runner.startTransaction();
        try {
          await runner.query('SET LOCAL hnsw.ef_search = 5');
          const explanation = await explainNearestQuery(docs.createQueryBuilder('d', runner).orderByCosine('d.embedding', query).limit(10));
          expect(explanation.warnings).toEqual([`hnsw.ef_search is 5, below the LIMIT 10, so ${label} returns at most 5 rows to this query: raise hnsw.ef_search to 10 or more.`]);
        } finally {
          await runner.rollbackTransaction();
          await runner.release();
        }
      });
    }

    if (!planned) {
      it('says when the candidate lookup scans the table first (the candidate condition under an OR)', async () => {
        const candidates =
          family === 'libsql'
            ? `d.rowid IN (SELECT id FROM vector_top_k('${index}', vector32(:v), 10))`
            : `d.rowid IN (SELECT rowid FROM ${index} WHERE embedding MATCH :v AND k = 10)`;
        const qb = docs.createQueryBuilder('d').where(`(${candidates} OR d.tag = -1)`).setParameter('v', JSON.stringify(query));
        const explanation = await explainNearestQuery(qb);
        expect(explanation).toMatchObject({
          usesIndex: true,
          index,
          warnings: [
            `${NAMES[family]} scans every row of explain_doc and checks each against the candidates of ${label} instead of looking the candidates up by key: AND the candidate condition to the rest of the WHERE (not under an OR), as findNearest does.`,
          ],
        });
        expect(explanation.plan).toMatch(/^SCAN d$/m);
      });
    }
  });
});
