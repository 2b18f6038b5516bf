/**
 * findNearest reads vector columns in pgvector's binary form (`vector_send`) on PostgreSQL and
 * PGlite: the same entities and float32 values as TypeORM's own (text) loads, `as: 'float32array'`,
 * NULL and two vector columns kept; entities with load listeners keep the text
 * read; `vector_send` runs for the returned rows only (after the sort), not for every row an exact
 * scan sorts. Other backends select their vector columns as before.
 */
import 'reflect-metadata';
import { AfterLoad, Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { findNearest, VectorColumn, VectorDataSource } from '../src';
import { BACKENDS, recordQueries, sqlFamily } from './support/backends';
import { randomVectors } from './support/vectors';

@Entity('bin_owner')
class BinOwner {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) name!: string;
}

@Entity('bin_item')
class BinItem {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) title!: string;
  @VectorColumn(8) embedding!: number[];
  @VectorColumn(4, { as: 'float32array', nullable: true }) small!: Float32Array | null;
  @ManyToOne(() => BinOwner, { nullable: true }) owner!: BinOwner | null;
}

/** An entity with an @AfterLoad hook that reads its vector: it must see it, so it keeps TypeORM's own read. */
@Entity('bin_listened')
class BinListened {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(8) embedding!: number[];
  seenInAfterLoad: number | undefined;
  @AfterLoad() remember(): void {
    this.seenInAfterLoad = this.embedding?.length;
  }
}

describe.each(BACKENDS)('findNearest vector reads on $name', (backend) => {
  const postgres = sqlFamily(backend.name) === 'postgres';
  let dataSource: VectorDataSource;
  const vectors = randomVectors(300, 8, 5);
  const smalls = randomVectors(300, 4, 6);
  const query = randomVectors(1, 8, 7)[0]!;

  beforeAll(async () => {
    dataSource = await backend.open([BinOwner, BinItem, BinListened]);
    const [owner] = await dataSource.getRepository(BinOwner).save([{ name: 'ann' }]);
    await dataSource.getRepository(BinItem).insert(vectors.map((embedding, i) => ({ title: `t${i}`, embedding, small: i % 5 === 0 ? null : Float32Array.from(smalls[i]!), owner: i % 2 ? owner : null })));
    await dataSource.getRepository(BinListened).insert(vectors.slice(0, 20).map((embedding) => ({ embedding })));
  });
  afterAll(() => backend.close(dataSource));

  it('returns the entities TypeORM loads, vectors to the float32 bit, NULLs kept', async () => {
    const near = await findNearest(dataSource.getRepository(BinItem), { column: 'embedding', vector: query, limit: 25 });
    expect(near).toHaveLength(25);
    const loaded = await dataSource.getRepository(BinItem).findBy({});
    const byId = new Map(loaded.map((item) => [item.id, item]));
    for (const { entity } of near) {
      expect(entity).toBeInstanceOf(BinItem);
      expect(entity).toEqual(byId.get(entity.id));
      expect(entity.embedding).toEqual(Array.from(vectors[entity.id - 1]!, Math.fround));
      expect(entity.small === null ? null : entity.small).toEqual(entity.id % 5 === 1 ? null : Float32Array.from(smalls[entity.id - 1]!));
      if (entity.small !== null) expect(entity.small).toBeInstanceOf(Float32Array);
    }
    expect(near.some(({ entity }) => entity.small === null)).toBe(true);
  });

  it(postgres ? 'selects the vector columns with vector_send, evaluated after the sort' : 'selects the vector columns as they are', async () => {
    const queries = await recordQueries(dataSource, () => findNearest(dataSource.getRepository(BinItem), { column: 'embedding', vector: query, limit: 5 }));
    const select = queries.find((q) => /FROM [`"]bin_item[`"]/.test(q.query))!;
    expect((select.query.match(/vector_send\(/g) ?? []).length).toBe(postgres ? 2 : 0);
    if (!postgres) return;
    // EXPLAIN VERBOSE: the sort's own output carries the embedding, not its vector_send (which the projection above it computes for the rows the LIMIT takes).
    const plan = (await dataSource.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${select.query}`, select.parameters)) as Array<Record<string, unknown>>;
    const sort = findNode((plan[0]!['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0]!.Plan, 'Sort');
    expect(sort).toBeDefined();
    expect(sort!.Output!.join(' ')).not.toMatch(/vector_send/);
  });

  it('keeps a join a filter adds, and pairs each entity with its own vector', async () => {
    const near = await findNearest(dataSource.getRepository(BinItem), {
      column: 'embedding',
      vector: query,
      limit: 6,
      filter: (qb) => qb.leftJoinAndSelect('entity.owner', 'owner').andWhere('owner.name = :name', { name: 'ann' }),
    });
    expect(near).toHaveLength(6);
    for (const { entity } of near) {
      expect(entity.owner?.name).toBe('ann');
      expect(entity.embedding).toEqual(Array.from(vectors[entity.id - 1]!, Math.fround));
    }
  });

  it('keeps TypeORM’s own read for an entity with an @AfterLoad listener, which sees the vector', async () => {
    const queries = await recordQueries(dataSource, async () => {
      const near = await findNearest(dataSource.getRepository(BinListened), { column: 'embedding', vector: query, limit: 3 });
      for (const { entity } of near) {
        expect(entity.seenInAfterLoad).toBe(8);
        expect(entity.embedding).toEqual(Array.from(vectors[entity.id - 1]!, Math.fround));
      }
    });
    expect(queries.find((q) => /FROM [`"]bin_listened[`"]/.test(q.query))!.query).not.toMatch(/vector_send/);
  });
});

interface PlanNode {
  'Node Type': string;
  Output?: string[];
  Plans?: PlanNode[];
}

function findNode(node: PlanNode, type: string): PlanNode | undefined {
  if (node['Node Type'] === type) return node;
  for (const child of node.Plans ?? []) {
    const found = findNode(child, type);
    if (found) return found;
  }
  return undefined;
}
