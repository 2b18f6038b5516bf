/**
 * `@VectorColumn(N, { sizeCheck: true })`: on SQLite and libSQL, whose BLOB columns take any bytes,
 * a CHECK constraint makes the database refuse a vector of another size or a text value from any
 * writer; NULL stays allowed where the column is nullable; the schema is clean afterwards (nothing
 * pending for synchronize or migration:generate); adding it to a table that already holds a
 * wrong-size vector fails the table copy and leaves the table as it was. Other backends' column
 * types check sizes themselves, so no constraint is added there.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VectorColumn, VectorConfigurationError } from '../src';
import { BACKENDS, rows, sqlFamily } from './support/backends';

@Entity('sized_doc')
class SizedDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) title!: string;
  @VectorColumn(3, { sizeCheck: true }) embedding!: number[];
  @VectorColumn(2, { sizeCheck: true, nullable: true }) draft!: number[] | null;
}

/** The same table without the CHECK, as a table made before `sizeCheck` was turned on. */
@Entity('sized_doc')
class UnsizedDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) title!: string;
  @VectorColumn(3) embedding!: number[];
  @VectorColumn(2, { nullable: true }) draft!: number[] | null;
}

@Entity('sized_half')
class SizedHalf {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(2, { type: 'float16', sizeCheck: true }) half!: number[];
}

const blob = (values: number[]) => Buffer.from(new Float32Array(values).buffer);

it('refuses a sizeCheck that is not a boolean, naming the value and the fix', () => {
  expect(() => VectorColumn(3, { sizeCheck: 'yes' as never })({}, 'embedding')).toThrow(new VectorConfigurationError('Object.embedding has sizeCheck: "yes"; pass true or false (the default).'));
});

for (const backend of BACKENDS.filter((b) => ['sqlite', 'libsql'].includes(sqlFamily(b.name)))) {
  describe(`sizeCheck on ${backend.name}`, () => {
    const insert = (dataSource: Awaited<ReturnType<typeof backend.open>>, embedding: unknown, draft: unknown = null) =>
      rows(dataSource, `INSERT INTO sized_doc (title, embedding, draft) VALUES ('raw', ?, ?)`, [embedding, draft]);

    it('refuses a vector of another size or a text value from a raw INSERT, takes NULL and what typeorm-vector writes, and leaves the schema clean', async () => {
      const dataSource = await backend.open([SizedDoc]);
      try {
        await expect(insert(dataSource, blob([1, 2]))).rejects.toThrow(/CHECK constraint failed: CHK_sized_doc_embedding_vector_3_dims/);
        await expect(insert(dataSource, blob([1, 2, 3, 4]))).rejects.toThrow(/CHECK constraint failed/);
        await expect(insert(dataSource, '[1,2,3]')).rejects.toThrow(/CHECK constraint failed/);
        await expect(insert(dataSource, blob([1, 2, 3]), blob([1]))).rejects.toThrow(/CHECK constraint failed: CHK_sized_doc_draft_vector_2_dims/);
        await expect(rows(dataSource, `SELECT count(*) AS n FROM sized_doc`)).resolves.toEqual([{ n: 0 }]);
        const repo = dataSource.getRepository(SizedDoc);
        await repo.save([repo.create({ title: 'a', embedding: [1, 2, 3], draft: [0.5, -2] }), repo.create({ title: 'b', embedding: [4, 5, 6], draft: null })]);
        await insert(dataSource, blob([7, 8, 9]));
        const saved = await repo.find({ order: { id: 'ASC' } });
        expect(saved.map((doc) => [doc.embedding, doc.draft])).toEqual([[[1, 2, 3], [0.5, -2]], [[4, 5, 6], null], [[7, 8, 9], null]]);
        expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      } finally {
        await backend.close(dataSource);
      }
    });

    if (sqlFamily(backend.name) === 'libsql') {
      it('checks an F16_BLOB(N) column at 2 bytes per dimension plus libSQL type byte', async () => {
        const dataSource = await backend.open([SizedHalf]);
        try {
          await dataSource.getRepository(SizedHalf).save({ half: [0.5, -2] });
          await rows(dataSource, `INSERT INTO sized_half (half) VALUES (vector16('[1,2]'))`);
          await expect(rows(dataSource, `INSERT INTO sized_half (half) VALUES (vector16('[1,2,3]'))`)).rejects.toThrow(/CHECK constraint failed: CHK_sized_half_half_vector_2_dims/);
          await expect(dataSource.getRepository(SizedHalf).find({ order: { id: 'ASC' } })).resolves.toMatchObject([{ half: [0.5, -2] }, { half: [1, 2] }]);
        } finally {
          await backend.close(dataSource);
        }
      });
    }
  });
}

for (const backend of BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite')) {
  it(`on ${backend.name}, turning sizeCheck on over a wrong-size vector fails the table copy and leaves the table as it was`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-size-check-'));
    const database = path.join(dir, 'test.db');
    try {
      const before = await backend.open([UnsizedDoc], { database });
      await insert(before, blob([1, 2, 3]));
      await insert(before, blob([1, 2]));
      await backend.close(before);
      await expect(backend.open([SizedDoc], { database })).rejects.toThrow(/CHECK constraint failed: CHK_sized_doc_embedding_vector_3_dims/);
      const after = await backend.open([UnsizedDoc], { database, synchronize: false });
      await expect(rows(after, `SELECT length(embedding) AS bytes FROM sized_doc ORDER BY id`)).resolves.toEqual([{ bytes: 12 }, { bytes: 8 }]);
      await expect(rows(after, `SELECT sql FROM sqlite_master WHERE name = 'sized_doc'`)).resolves.toEqual([{ sql: expect.not.stringContaining('CHECK') }]);
      await backend.close(after);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  function insert(dataSource: Awaited<ReturnType<typeof backend.open>>, embedding: unknown): Promise<unknown> {
    return rows(dataSource, `INSERT INTO sized_doc (title, embedding) VALUES ('raw', ?)`, [embedding]);
  }
}

for (const backend of BACKENDS.filter((b) => ['postgres', 'mariadb'].includes(sqlFamily(b.name)))) {
  it(`adds no constraint on ${backend.name}, whose column type checks sizes itself`, async () => {
    const dataSource = await backend.open([SizedDoc]);
    try {
      expect(dataSource.getMetadata(SizedDoc).checks).toEqual([]);
      await expect(rows(dataSource, `INSERT INTO sized_doc (title, embedding) VALUES ('raw', ${sqlFamily(backend.name) === 'postgres' ? "'[1,2]'" : 'VEC_FromText(\'[1,2]\')'})`)).rejects.toThrow();
    } finally {
      await backend.close(dataSource);
    }
  });
}
