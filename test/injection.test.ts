/**
 * Injection: quotes, semicolons, comments and unicode in vectors, table, column and index names,
 * index options and findNearest's `where` never change a statement's meaning, through every entry
 * point: values are bound, identifiers quoted (quote characters doubled) or refused, index options
 * validated. After each attempt every table is still there with the same rows.
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  createVectorIndex,
  dropVectorIndex,
  findNearest,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorError,
  VectorIndex,
  vectorIndexSql,
} from '../src';
import { BACKENDS, rows, sqlFamily } from './support/backends';

/**
 * Names that end the statement if concatenated raw. TypeORM's own schema reader concatenates table
 * names into string literals, so an entity's names cannot hold quote characters at all (TypeORM's
 * limit, not this library's); the helpers' quoting of quote characters is checked separately below.
 */
const TABLE = `tv; -- ü /*x*/`;
const COLUMN = `vec; /*é*/ -- x`;
const HOSTILE = `x'); DROP TABLE victim; -- "\` /* ü`;

@Entity(TABLE)
class Weird {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 100 }) title!: string;
  @VectorColumn(3, { name: COLUMN }) embedding!: number[];
}

@Entity('victim')
class Victim {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) title!: string;
}

describe.each(BACKENDS)('injection on $name', (backend) => {
  const family = sqlFamily(backend.name);
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([Weird, Victim]);
    await dataSource.getRepository(Victim).insert({ title: 'still here' });
    await dataSource.getRepository(Weird).insert([
      { title: HOSTILE, embedding: [1, 0, 0] },
      { title: 'plain ✓ 𝟙', embedding: [0, 1, 0] },
      { title: `'; --`, embedding: [0, 0, 1] },
    ]);
  });
  afterAll(() => backend.close(dataSource));

  /** Both tables hold what they held before. */
  async function intact(): Promise<void> {
    await expect(dataSource.getRepository(Victim).find()).resolves.toEqual([{ id: 1, title: 'still here' }]);
    const weird = await dataSource.getRepository(Weird).find({ order: { id: 'ASC' } });
    expect(weird.map((w) => [w.title, w.embedding])).toEqual([
      [HOSTILE, [1, 0, 0]],
      ['plain ✓ 𝟙', [0, 1, 0]],
      [`'; --`, [0, 0, 1]],
    ]);
  }

  it('query methods on a quoted table and column order, select and filter as asked', async () => {
    const qb = dataSource.getRepository(Weird).createQueryBuilder('w');
    const near = await qb.orderByL2('w.embedding', [0, 0.9, 0]).addSelectDistance('w.embedding', [0, 0.9, 0], 'l2', 'd').andWhereDistance('w.embedding', [0, 0.9, 0], 'l2', '<', 1.2).getMany();
    expect(near.map((w) => w.title)).toEqual(['plain ✓ 𝟙']);
    await intact();
  });

  it("findNearest's where binds hostile strings and unicode as values", async () => {
    for (const title of [HOSTILE, `'; --`, 'plain ✓ 𝟙', `' OR 1=1 --`, `\\'; DROP TABLE victim; --`]) {
      const near = await findNearest(dataSource.getRepository(Weird), { column: 'embedding', vector: [1, 1, 1], where: { title }, limit: 5 });
      expect(near.map((n) => n.entity.title)).toEqual([HOSTILE, `'; --`, 'plain ✓ 𝟙'].filter((t) => t === title));
    }
    await intact();
  });

  it('migration helpers quote hostile table and column names, or refuse them, and never run them', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      // A table that does not exist, whose name would end the statement if concatenated.
      await expect(createVectorIndex(runner, { table: `victim"; DROP TABLE victim; --`, column: 'embedding', metric: 'l2', dimensions: 3 })).rejects.toThrow(VectorError);
      await expect(createVectorIndex(runner, { table: 'victim`; DROP TABLE victim; --', column: 'embedding', metric: 'l2', dimensions: 3 })).rejects.toThrow(VectorError);
      await expect(dropVectorIndex(runner, { table: `victim\`; DROP TABLE victim; --`, column: 'embedding', metric: 'l2', dimensions: 3, name: 'i' })).rejects.toThrow(VectorError);
      // Index options carrying SQL are refused before any statement.
      await expect(createVectorIndex(runner, { table: TABLE, column: COLUMN, metric: 'l2', dimensions: 3, name: 'i; DROP TABLE victim' })).rejects.toThrow(VectorError);
      await expect(createVectorIndex(runner, { table: TABLE, column: COLUMN, metric: `l2'; DROP TABLE victim; --` as never, dimensions: 3 })).rejects.toThrow(VectorError);
      await expect(createVectorIndex(runner, { table: TABLE, column: COLUMN, metric: 'l2', dimensions: 3, m: '16); DROP TABLE victim; --' } as never)).rejects.toThrow(VectorError);
      // Quote characters in names are doubled, on both TypeORM lines (0.3's driver.escape does not double them).
      const quote = family === 'mariadb' ? '`' : '"';
      const hostile = `a${quote}; DROP TABLE victim; --`;
      const { up, down } = vectorIndexSql(dataSource, { table: hostile, column: family === 'sqlite' ? 'embedding' : `c${quote}) ; DROP TABLE victim; --`, metric: 'l2', dimensions: 3, name: 'i' });
      expect(up.join(';')).toContain(`${quote}a${quote}${quote}; DROP TABLE victim; --${quote}`);
      if (family !== 'sqlite') expect(up.join(';')).toContain(`${quote}c${quote}${quote}) ; DROP TABLE victim; --${quote}`);
      expect(`${up.join(';')}${down.join(';')}`.replaceAll(`${quote}${quote}`, '')).not.toMatch(new RegExp(`${quote}; DROP`));
      await expect(createVectorIndex(runner, { table: hostile, column: 'embedding', metric: 'l2', dimensions: 3, name: 'i' })).rejects.toThrow(VectorError);
      if (family !== 'sqlite') {
        // An index on names holding semicolons, comments and unicode: quoted, created, used and dropped.
        expect(vectorIndexSql(dataSource, { table: TABLE, column: COLUMN, metric: 'l2', dimensions: 3, name: 'weird_idx' }).up.join(';')).toContain(`${quote}${TABLE}${quote}`);
        await createVectorIndex(runner, { table: TABLE, column: COLUMN, metric: 'l2', dimensions: 3, name: 'weird_idx' });
        const near = await findNearest(dataSource.getRepository(Weird), { column: 'embedding', vector: [0, 0, 0.9], limit: 1 });
        expect(near.map((n) => n.entity.title)).toEqual([`'; --`]);
        await dropVectorIndex(runner, { table: TABLE, column: COLUMN, metric: 'l2', dimensions: 3, name: 'weird_idx' });
      } else {
        // sqlite-vec's vec0 declares the column by its bare name: a name needing quotes is refused.
        expect(() => vectorIndexSql(dataSource, { table: TABLE, column: COLUMN, metric: 'l2', dimensions: 3 })).toThrow(/needs a column name of letters, digits and underscores/);
      }
    } finally {
      await runner.release();
    }
    await intact();
  });

  it('@VectorIndex refuses a name carrying SQL when the DataSource starts, creating nothing', async () => {
    @Entity('victim')
    class VictimWithIndex {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'varchar', length: 20 }) title!: string;
      @VectorColumn(3)
      @VectorIndex({ metric: 'l2', name: `i"; DROP TABLE victim; --` })
      embedding!: number[];
    }
    const other = new VectorDataSource({ ...dataSource.options, entities: [VictimWithIndex], synchronize: true } as never);
    try {
      await expect(other.initialize()).rejects.toThrow(/Vector index name "i\\"; DROP TABLE victim; --" is not a plain identifier/);
    } finally {
      if (other.isInitialized) await other.destroy();
    }
    if (family !== 'sqlite' && backend.name !== 'libsql-memory') await intact();
  });

  it('vectors are bound values: a hostile string is refused, a hostile title is stored verbatim', async () => {
    await expect(dataSource.getRepository(Weird).save({ title: 't', embedding: `[1,2,3]'); DROP TABLE victim; --` as never })).rejects.toThrow(/must be an array of numbers/);
    const [sql, parameters] = dataSource.getRepository(Weird).createQueryBuilder('w').orderByCosine('w.embedding', [1, 2, 3]).getQueryAndParameters();
    expect(sql).not.toMatch(/1,2,3|\b2\b/);
    expect(parameters).toHaveLength(1);
    await intact();
    const raw = await rows(dataSource, 'SELECT COUNT(*) AS n FROM victim');
    expect(Number(raw[0]!.n)).toBe(1);
  });
});
