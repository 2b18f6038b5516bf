import 'reflect-metadata';
import {
  addSelectDistance,
  andWhereDistance,
  orderByCosine,
  orderByInnerProduct,
  orderByDistance,
  orderByL2,
  UnsupportedVectorFeatureError,
  VectorConfigurationError,
  VectorDataSource,
  VectorDimensionError,
  VectorValueError,
  type VectorMetric,
} from '../src';
import { encodePgvectorBinary } from '../src/codecs';
import { dialectOf } from '../src/dialects';
import { BACKENDS, recordQueries, sqlFamily } from './support/backends';
import { Doc, WideItem } from './support/entities';
import { DISTANCES, randomVectors } from './support/vectors';

const QUERY = [0.25, -0.5, 1];

/** The SQL each backend must get for one call, with `?`/`$n` as the driver numbers them. */
const EXPECTED_SQL: Record<string, Record<string, string>> = {
  sqlite: {
    orderByL2: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" ORDER BY vec_distance_l2("doc"."embedding_vec", ?) ASC LIMIT 3`,
    orderByCosine: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" ORDER BY vec_distance_cosine("doc"."embedding_vec", ?) ASC LIMIT 3`,
    addSelectDistance: `SELECT "doc"."id" AS "doc_id", vec_distance_l1("doc"."embedding_vec", ?) AS "distance" FROM "doc" "doc"`,
    andWhereDistance: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" WHERE "doc"."title" = ? AND vec_distance_cosine("doc"."embedding_vec", ?) < 0.5`,
  },
  libsql: {
    orderByL2: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" ORDER BY vector_distance_l2("doc"."embedding_vec", vector32(?)) ASC LIMIT 3`,
    orderByCosine: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" ORDER BY vector_distance_cos("doc"."embedding_vec", vector32(?)) ASC LIMIT 3`,
    addSelectDistance: `SELECT "doc"."id" AS "doc_id", vector_distance_l2("doc"."embedding_vec", vector32(?)) AS "distance" FROM "doc" "doc"`,
    andWhereDistance: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" WHERE "doc"."title" = ? AND vector_distance_cos("doc"."embedding_vec", vector32(?)) < 0.5`,
  },
  postgres: {
    orderByL2: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" ORDER BY ("doc"."embedding_vec" <-> CAST($1 AS vector)) ASC LIMIT 3`,
    orderByCosine: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" ORDER BY ("doc"."embedding_vec" <=> CAST($1 AS vector)) ASC LIMIT 3`,
    orderByInnerProduct: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" ORDER BY ("doc"."embedding_vec" <#> CAST($1 AS vector)) ASC LIMIT 3`,
    addSelectDistance: `SELECT "doc"."id" AS "doc_id", ("doc"."embedding_vec" <+> CAST($1 AS vector)) AS "distance" FROM "doc" "doc"`,
    andWhereDistance: `SELECT "doc"."id" AS "doc_id" FROM "doc" "doc" WHERE "doc"."title" = $1 AND ("doc"."embedding_vec" <=> CAST($2 AS vector)) < $3`,
  },
  mariadb: {
    orderByL2: 'SELECT `doc`.`id` AS `doc_id` FROM `doc` `doc` ORDER BY VEC_DISTANCE_EUCLIDEAN(`doc`.`embedding_vec`, ?) ASC LIMIT 3',
    orderByCosine: 'SELECT `doc`.`id` AS `doc_id` FROM `doc` `doc` ORDER BY VEC_DISTANCE_COSINE(`doc`.`embedding_vec`, ?) ASC LIMIT 3',
    addSelectDistance: 'SELECT `doc`.`id` AS `doc_id`, VEC_DISTANCE_EUCLIDEAN(`doc`.`embedding_vec`, ?) AS `distance` FROM `doc` `doc`',
    andWhereDistance: 'SELECT `doc`.`id` AS `doc_id` FROM `doc` `doc` WHERE `doc`.`title` = ? AND VEC_DISTANCE_COSINE(`doc`.`embedding_vec`, ?) < ?',
  },
};

/** Metrics each backend computes; the others must be refused with advice. */
const SUPPORTED_METRICS: Record<string, Array<keyof typeof DISTANCES>> = {
  sqlite: ['l2', 'cosine', 'l1'],
  libsql: ['l2', 'cosine'],
  postgres: ['l2', 'cosine', 'inner_product', 'l1'],
  mariadb: ['l2', 'cosine'],
};

/** The metric the addSelectDistance SQL above uses: L1 where the backend has it. */
const SELECT_METRIC: Record<string, VectorMetric> = { sqlite: 'l1', libsql: 'l2', postgres: 'l1', mariadb: 'l2' };

/** The bound value of QUERY on each backend: pgvector text, or float32 little-endian bytes. */
const ENCODED_QUERY: Record<string, unknown> = {
  sqlite: Buffer.from(new Float32Array(QUERY).buffer),
  libsql: Buffer.from(new Float32Array(QUERY).buffer),
  // pgvector's binary form (vector_recv): pg sends a Buffer parameter in binary format.
  postgres: encodePgvectorBinary(new Float32Array(QUERY)),
  // PGlite serializes parameters as text.
  pglite: '[0.25,-0.5,1]',
  mariadb: Buffer.from(new Float32Array(QUERY).buffer),
};


const METRICS: Array<keyof typeof DISTANCES> = ['l2', 'cosine', 'inner_product', 'l1'];

describe.each(BACKENDS)('query builder methods on $name', (backend) => {
  let dataSource: VectorDataSource;
  const items = randomVectors(300, 32, 42);
  const query = randomVectors(1, 32, 7)[0]!;

  beforeAll(async () => {
    dataSource = await backend.open([Doc, WideItem]);
    await dataSource.getRepository(WideItem).insert(items.map((embedding, i) => ({ bucket: i % 5, embedding })));
    await dataSource.getRepository(Doc).insert([
      { title: 'cat', embedding: [1, 0, 0] },
      { title: 'cat', embedding: [0, 1, 0] },
      { title: 'dog', embedding: [0, 0, 1] },
    ]);
  });
  afterAll(() => backend.close(dataSource));

  const docs = () => dataSource.getRepository(Doc).createQueryBuilder('doc').select('doc.id');
  const family = sqlFamily(backend.name);
  const expected = EXPECTED_SQL[family]!;
  const encodedQuery = ENCODED_QUERY[backend.name === 'pglite' ? 'pglite' : family];
  const selectMetric = SELECT_METRIC[family]!;

  describe('generate exactly the expected SQL, with the vector bound as a parameter', () => {
    it('orderByL2', () => {
      const [sql, parameters] = docs().orderByL2('doc.embedding', QUERY).limit(3).getQueryAndParameters();
      expect(sql).toBe(expected.orderByL2);
      expect(parameters).toEqual([encodedQuery]);
    });
    it('orderByCosine', () => {
      const [sql, parameters] = docs().orderByCosine('doc.embedding', QUERY).limit(3).getQueryAndParameters();
      expect(sql).toBe(expected.orderByCosine);
      expect(parameters).toEqual([encodedQuery]);
    });
    it('orderByInnerProduct', () => {
      if (!expected.orderByInnerProduct) {
        expect(() => docs().orderByInnerProduct('doc.embedding', QUERY)).toThrow(
          new UnsupportedVectorFeatureError(
            `${dialectOf(dataSource).capabilities.name} has no 'inner_product' distance; use 'cosine' on normalised vectors instead (it orders them the same way).`,
          ),
        );
        return;
      }
      const [sql] = docs().orderByInnerProduct('doc.embedding', QUERY).limit(3).getQueryAndParameters();
      expect(sql).toBe(expected.orderByInnerProduct);
    });
    it('addSelectDistance', () => {
      const [sql, parameters] = docs().addSelectDistance('doc.embedding', QUERY, selectMetric, 'distance').getQueryAndParameters();
      expect(sql).toBe(expected.addSelectDistance);
      expect(parameters).toEqual([encodedQuery]);
    });
    it('andWhereDistance', () => {
      const [sql, parameters] = docs()
        .where('doc.title = :title', { title: 'cat' })
        .andWhereDistance('doc.embedding', QUERY, 'cosine', '<', 0.5)
        .getQueryAndParameters();
      expect(sql).toBe(expected.andWhereDistance);
      // TypeORM's SQLite drivers inline numeric parameters; the threshold was checked to be a finite number first.
      const threshold = family === 'sqlite' || family === 'libsql' ? [] : [0.5];
      expect(parameters).toEqual(['cat', encodedQuery, ...threshold]);
    });
    it('the plain functions build the same SQL as the methods', () => {
      expect(orderByL2(docs(), 'doc.embedding', QUERY).limit(3).getQueryAndParameters()[0]).toBe(expected.orderByL2);
      expect(orderByCosine(docs(), 'doc.embedding', QUERY).limit(3).getQueryAndParameters()[0]).toBe(expected.orderByCosine);
      expect(addSelectDistance(docs(), 'doc.embedding', QUERY, selectMetric, 'distance').getQueryAndParameters()[0]).toBe(expected.addSelectDistance);
      const where = andWhereDistance(docs().where('doc.title = :title', { title: 'cat' }), 'doc.embedding', QUERY, 'cosine', '<', 0.5);
      expect(where.getQueryAndParameters()[0]).toBe(expected.andWhereDistance);
      if (expected.orderByInnerProduct) {
        expect(orderByInnerProduct(docs(), 'doc.embedding', QUERY).limit(3).getQueryAndParameters()[0]).toBe(expected.orderByInnerProduct);
      }
    });
  });

  describe.each(METRICS)('on the real database, metric %s', (metric) => {
    const supported = SUPPORTED_METRICS[family]!.includes(metric);
    const reference = DISTANCES[metric];
    const exact = items
      .map((embedding, i) => ({ id: i + 1, distance: reference(embedding, query) }))
      .sort((a, b) => a.distance - b.distance);

    if (!supported) {
      it('is refused with advice, as this backend has no such distance', () => {
        const qb = dataSource.getRepository(WideItem).createQueryBuilder('item');
        expect(() => orderByDistance(qb, 'item.embedding', query, metric)).toThrow(UnsupportedVectorFeatureError);
        const advice = metric === 'inner_product' ? /use 'cosine' on normalised vectors instead/ : /has no 'l1' distance; use one of 'l2', 'cosine' instead\./;
        expect(() => qb.andWhereDistance('item.embedding', query, metric, '<', 1)).toThrow(advice);
      });
      return;
    }

    it('orders nearest first with the distances JavaScript computes', async () => {
      const { raw, entities } = await orderByDistance(dataSource.getRepository(WideItem).createQueryBuilder('item'), 'item.embedding', query, metric)
        .addSelectDistance('item.embedding', query, metric, 'distance')
        .limit(10)
        .getRawAndEntities();
      expect(entities.map((e) => e.id)).toEqual(exact.slice(0, 10).map((e) => e.id));
      raw.forEach((row: { distance: number }, i: number) => expect(Number(row.distance)).toBeCloseTo(exact[i]!.distance, 4));
    });

    it('filters by distance threshold together with an ordinary WHERE', async () => {
      const threshold = exact[40]!.distance;
      const found = await dataSource
        .getRepository(WideItem)
        .createQueryBuilder('item')
        .where('item.bucket = :bucket', { bucket: 2 })
        .andWhereDistance('item.embedding', query, metric, '<=', threshold)
        .getMany();
      const expectedIds = exact.filter((e) => e.distance <= threshold + 1e-6 && (e.id - 1) % 5 === 2).map((e) => e.id);
      expect(found.map((e) => e.id).sort((a, b) => a - b)).toEqual(expectedIds.sort((a, b) => a - b));
    });
  });

  describe('bad input is refused with one sentence, before anything is bound', () => {
    const cases: Array<[string, () => unknown, Function, RegExp]> = [
      ['a wrong dimension count', () => docs().orderByL2('doc.embedding', [1, 2]), VectorDimensionError, /Query vector for Doc\.embedding expects 3 dimensions but the vector has 2; pass a vector of length 3\./],
      ['NaN', () => docs().orderByCosine('doc.embedding', [1, Number.NaN, 2]), VectorValueError, /element 1 is NaN/],
      ['Infinity', () => docs().orderByL2('doc.embedding', [1, 2, Number.NEGATIVE_INFINITY]), VectorValueError, /element 2 is -Infinity/],
      ['an empty vector', () => docs().orderByL2('doc.embedding', []), VectorValueError, /is an empty vector/],
      ['a non-numeric vector', () => docs().orderByL2('doc.embedding', ['a', 'b', 'c'] as never), VectorValueError, /element 0 is the string "a", not a number/],
      ['an unknown metric', () => docs().addSelectDistance('doc.embedding', QUERY, 'dot' as never, 'd'), VectorConfigurationError, /Unknown metric "dot"; use one of 'l2', 'cosine', 'inner_product', 'l1', 'hamming', 'jaccard'\./],
      ['an unknown property', () => docs().orderByL2('doc.embeding', QUERY), VectorConfigurationError, /Property 'embeding' of alias 'doc' \(entity Doc\) does not exist; use one of its vector properties: embedding, draft\./],
      ['a non-vector property', () => docs().orderByL2('doc.title', QUERY), VectorConfigurationError, /Property 'title' of alias 'doc' \(entity Doc\) is not a @VectorColumn/],
      ['an unknown alias', () => docs().orderByL2('d.embedding', QUERY), VectorConfigurationError, /Unknown alias 'd' in "d\.embedding"; use one of the query's entity aliases: doc\./],
      ['an unknown comparison', () => docs().andWhereDistance('doc.embedding', QUERY, 'l2', '<>' as never, 1), VectorConfigurationError, /Distance comparison "<>" is not supported/],
      ['a NaN threshold', () => docs().andWhereDistance('doc.embedding', QUERY, 'l2', '<', Number.NaN), VectorConfigurationError, /Distance threshold NaN is not a finite number/],
    ];
    it.each(cases)('%s', (_label, attempt, errorClass, message) => {
      expect(attempt).toThrow(errorClass as never);
      expect(attempt).toThrow(message);
    });

    it('binds nothing when validation fails', () => {
      const qb = docs();
      expect(() => qb.orderByL2('doc.embedding', [1, 2])).toThrow(VectorDimensionError);
      expect(Object.keys(qb.getParameters())).toEqual([]);
      expect(qb.getQuery()).not.toMatch(/ORDER BY/);
    });
  });

  describe('SQL injection', () => {
    it('through a vector is refused, and values only ever travel as parameters', async () => {
      expect(() => docs().orderByL2('doc.embedding', ['1); DROP TABLE doc; --', 0, 0] as never)).toThrow(VectorValueError);
      const queries = await recordQueries(dataSource, () => docs().orderByL2('doc.embedding', [0.123456, 0, 0]).getMany());
      expect(queries.map((q) => q.query).join('\n')).not.toContain('0.123456');
      expect(await dataSource.getRepository(Doc).count()).toBe(3);
    });
    it.each([
      'doc.embedding; DROP TABLE doc',
      'doc.embedding) --',
      '"doc"."embedding_vec"',
      'doc.embedding_vec',
      'embedding',
    ])('through a column reference %p is refused', (column) => {
      expect(() => docs().orderByL2(column, QUERY)).toThrow(VectorConfigurationError);
    });
    it('through a distance alias is refused', () => {
      expect(() => docs().addSelectDistance('doc.embedding', QUERY, 'l2', 'd FROM doc; DROP TABLE doc; --')).toThrow(
        /Distance alias .* is not a plain identifier/,
      );
    });
  });
});
