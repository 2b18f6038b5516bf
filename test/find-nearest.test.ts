import 'reflect-metadata';
import { findNearest, VectorConfigurationError, VectorDataSource, VectorDimensionError, VectorValueError, type VectorMetric } from '../src';
import { BACKENDS, recordQueries, sqlFamily } from './support/backends';
import { WideItem } from './support/entities';
import { DISTANCES, randomVectors } from './support/vectors';

/** Metrics each backend computes. */
const SUPPORTED_METRICS: Record<string, Array<keyof typeof DISTANCES>> = {
  sqlite: ['l2', 'cosine', 'l1'],
  libsql: ['l2', 'cosine'],
  postgres: ['l2', 'cosine', 'inner_product', 'l1'],
  mariadb: ['l2', 'cosine'],
};

describe.each(BACKENDS)('findNearest on $name', (backend) => {
  let dataSource: VectorDataSource;
  const items = randomVectors(500, 32, 11);
  const query = randomVectors(1, 32, 99)[0]!;

  beforeAll(async () => {
    dataSource = await backend.open([WideItem]);
    await dataSource.getRepository(WideItem).insert(items.map((embedding, i) => ({ bucket: i % 3, embedding })));
  });
  afterAll(() => backend.close(dataSource));

  const metrics = SUPPORTED_METRICS[sqlFamily(backend.name)]!;

  it.each(metrics)('returns the %s nearest entities, closest first, with exact distances', async (metric) => {
    const exact = items
      .map((embedding, i) => ({ id: i + 1, distance: DISTANCES[metric](embedding, query) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 7);
    const near = await findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: query, metric, limit: 7 });
    expect(near.map((n) => n.entity.id)).toEqual(exact.map((e) => e.id));
    near.forEach((n, i) => {
      expect(n.entity).toBeInstanceOf(WideItem);
      expect(n.entity.embedding).toEqual(items[n.entity.id - 1]);
      expect(n.distance).toBeCloseTo(exact[i]!.distance, 4);
    });
  });

  it('sends the query vector once: the distance is selected once and ordered by its alias', async () => {
    const queries = await recordQueries(dataSource, () => findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: query, limit: 3 }));
    const select = queries.find((q) => /FROM [`"]wide_item[`"]/.test(q.query))!;
    expect(select.query).toMatch(/ORDER BY [`"]?tv_distance[`"]? ASC/);
    const vectors = (select.parameters ?? []).filter((parameter) => typeof parameter === 'string' || parameter instanceof Uint8Array);
    expect(vectors).toHaveLength(1);
  });

  it('keeps the tie-breakers a filter adds with addOrderBy, after the distance', async () => {
    const queries = await recordQueries(dataSource, () =>
      findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: query, limit: 3, filter: (qb) => qb.where('entity.bucket < :b', { b: 3 }).addOrderBy('entity.id', 'DESC') }),
    );
    const select = queries.find((q) => /FROM [`"]wide_item[`"]/.test(q.query))!.query;
    // TypeORM writes the tie-breaker as the column (`"entity"."id"`) or, where the query selects columns one by one (PostgreSQL's binary vector reads), as its select alias (`"entity_id"`).
    expect(select).toMatch(/ORDER BY [`"]?tv_distance[`"]? ASC, ([`"]entity[`"]\.[`"]id[`"]|[`"]entity_id[`"]) DESC/);
  });

  it('takes any numeric typed array as the query vector (Float64Array, Int8Array)', async () => {
    const asDoubles = await findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: Float64Array.from(query), limit: 3 });
    const asFloats = await findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: Float32Array.from(query), limit: 3 });
    expect(asDoubles.map((n) => n.entity.id)).toEqual(asFloats.map((n) => n.entity.id));
    const bytes = Int8Array.from(query, (value) => Math.round(value * 100));
    await expect(findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: bytes, limit: 3 })).resolves.toHaveLength(3);
  });

  it('defaults to L2 and 10 rows, and applies a filter', async () => {
    const exact = items
      .map((embedding, i) => ({ id: i + 1, bucket: i % 3, distance: DISTANCES.l2(embedding, query) }))
      .filter((e) => e.bucket === 1)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 10);
    const near = await findNearest(dataSource.getRepository(WideItem), {
      column: 'embedding',
      vector: new Float32Array(query),
      filter: (qb) => qb.where('entity.bucket = :bucket', { bucket: 1 }),
    });
    expect(near.map((n) => n.entity.id)).toEqual(exact.map((e) => e.id));
  });

  it.each([
    [{ limit: 0 }, VectorConfigurationError, /findNearest limit 0 is not a positive integer; pass e\.g\. limit: 10\./],
    [{ limit: 2.5 }, VectorConfigurationError, /limit 2\.5/],
    [{ vector: [1, 2] }, VectorDimensionError, /expects 32 dimensions but the vector has 2/],
    [{ vector: [] }, VectorValueError, /empty vector/],
    [{ vector: Array(32).fill(Number.NaN) }, VectorValueError, /element 0 is NaN/],
    [{ metric: 'manhattan' }, VectorConfigurationError, /Unknown metric "manhattan"/],
    [{ column: 'bucket' }, VectorConfigurationError, /Property 'bucket' of alias 'entity' \(entity WideItem\) is not a @VectorColumn/],
    [{ column: 'nope' }, VectorConfigurationError, /Property 'nope' of alias 'entity' \(entity WideItem\) does not exist/],
    [{ wher: { bucket: 1 } }, VectorConfigurationError, /^findNearest has no option 'wher'; use column, vector, metric, limit, where, filter, search, strict, useIndex, readFrom\.$/],
    [{ filter: 'bucket = 1' }, VectorConfigurationError, /findNearest filter bucket = 1 is not a function/],
    [{ useIndex: 'x; DROP TABLE wide_item' }, VectorConfigurationError, /findNearest useIndex "x; DROP TABLE wide_item" is not true, false or an index name/],
    [{ strict: 'yes' }, VectorConfigurationError, /findNearest strict "yes" is not a boolean; pass strict: true or false\./],
    [{ vector: Array(32).fill(1n) }, VectorValueError, /element 0 is 1, not a number/],
  ])('rejects %p before any query runs', async (override, errorClass, message) => {
    const queries = await recordQueries(dataSource, async () => {
      await expect(findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: query, ...(override as object) } as never)).rejects.toBeInstanceOf(errorClass);
    });
    expect(queries).toEqual([]);
    const attempt = findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: query, ...(override as object) } as never);
    await expect(attempt).rejects.toBeInstanceOf(errorClass);
    await expect(findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector: query, ...(override as object) } as never)).rejects.toThrow(message);
  });
});
