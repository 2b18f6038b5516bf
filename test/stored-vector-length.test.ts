/**
 * A vector written by another program with the wrong number of dimensions is never read back as a
 * shorter or longer vector: a read throws a VectorValueError naming the table, the column and both
 * sizes (TypeORM's transformers see the value, not its row, so the row is not named), and a distance
 * over it fails in the database (sqlite-vec and libSQL compare lengths). PostgreSQL's vector(N) and
 * MariaDB's VECTOR(N) refuse such a write themselves.
 */
import 'reflect-metadata';
import { findNearest, VectorDataSource, VectorValueError } from '../src';
import { BACKENDS, rows, sqlFamily } from './support/backends';
import { Doc } from './support/entities';

/** A raw INSERT of a 2-element vector into Doc's 3-dimension column, as another program would write it. */
function insertShortVector(dataSource: VectorDataSource, family: string): Promise<unknown> {
  if (family === 'postgres') return rows(dataSource, `INSERT INTO doc (title, embedding_vec) VALUES ('short', '[1,2]')`);
  const blob = Buffer.from(new Float32Array([1, 2]).buffer);
  return rows(dataSource, `INSERT INTO doc (title, embedding_vec) VALUES ('short', ?)`, [blob]);
}

describe.each(BACKENDS)('a stored vector of the wrong length on $name', (backend) => {
  const family = sqlFamily(backend.name);
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([Doc]);
  });
  afterAll(() => backend.close(dataSource));

  if (family === 'postgres' || family === 'mariadb') {
    it('is refused by the database itself', async () => {
      await expect(insertShortVector(dataSource, family)).rejects.toThrow(family === 'postgres' ? /expected 3 dimensions, not 2/ : /Incorrect vector value|Data too long|Cannot cast/i);
      await expect(dataSource.getRepository(Doc).count()).resolves.toBe(0);
    });
    return;
  }

  it('fails every read with the table, the column and both sizes', async () => {
    const repo = dataSource.getRepository(Doc);
    await repo.save(repo.create({ title: 'good', embedding: [1, 1, 1] }));
    await insertShortVector(dataSource, family);
    const { id } = (await rows<{ id: number }>(dataSource, `SELECT id FROM doc WHERE title = 'short'`))[0]!;
    const message = 'Table doc, column embedding_vec (Doc.embedding) holds a vector of 2 dimensions but is declared with 3; another program wrote it, so rewrite the row with 3 numbers (or declare @VectorColumn(2)).';
    await expect(repo.find()).rejects.toThrow(new VectorValueError(message));
    await expect(repo.findOneBy({ id })).rejects.toThrow(new VectorValueError(message));
    await expect(repo.createQueryBuilder('doc').where('doc.id = :id', { id }).getOne()).rejects.toThrow(new VectorValueError(message));
    const mismatch = /dimension mist?match|must have the same length/i;
    await expect(repo.createQueryBuilder('doc').orderByL2('doc.embedding', [0, 0, 0]).getMany()).rejects.toThrow(mismatch);
    await expect(findNearest(repo, { column: 'embedding', vector: [0, 0, 0], limit: 5 })).rejects.toThrow(mismatch);
    // The good row still reads.
    await expect(repo.findOneByOrFail({ title: 'good' })).resolves.toMatchObject({ embedding: [1, 1, 1] });
  });
});
