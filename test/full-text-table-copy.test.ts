/**
 * SQLite and libSQL change a column by copying the table, which drops the FTS5 triggers of a
 * @FullTextIndex: synchronize puts them back and rebuilds the FTS5 table, so rows written after the
 * change are still found by text, and rows written before it still are too.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, Entity, PrimaryGeneratedColumn, type DataSourceOptions } from 'typeorm';
import { createLibsqlDataSource, findHybrid, FullTextIndex, VectorColumn, VectorDataSource } from '../src';
import { BACKENDS, sqlFamily, sqliteType } from './support/backends';

@Entity('fts_copy_doc')
@FullTextIndex(['title'])
class Before {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar' }) title!: string;
  @Column({ type: 'integer' }) rank!: number;
  @VectorColumn(2) embedding!: number[];
}

/** `rank` changed from integer to varchar: SQLite copies the table. */
@Entity('fts_copy_doc')
@FullTextIndex(['title'])
class After {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar' }) title!: string;
  @Column({ type: 'varchar' }) rank!: string;
  @VectorColumn(2) embedding!: number[];
}

const fileBackends = BACKENDS.filter((b) => ['sqlite', 'sqlite3', 'libsql'].includes(b.name));
for (const backend of fileBackends) {
  it(`synchronize restores the FTS5 triggers a table copy drops, on ${backend.name}`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-fts-copy-'));
    const file = path.join(dir, 'copy.db');
    const open = (entity: Function) =>
      sqlFamily(backend.name) === 'libsql'
        ? createLibsqlDataSource({ url: `file:${file}`, entities: [entity], synchronize: true }).initialize()
        : new VectorDataSource({ type: sqliteType(backend.name), database: file, entities: [entity], synchronize: true } as DataSourceOptions).initialize();
    try {
      const before = await open(Before);
      await before.getRepository(Before).insert({ title: 'alpha beta', rank: 1, embedding: [1, 0] });
      await before.destroy();
      const after = await open(After);
      try {
        await after.getRepository(After).insert({ title: 'gamma delta', rank: 'x', embedding: [0, 1] });
        const byText = async (query: string) =>
          (await findHybrid(after.getRepository(After), { vector: { column: 'embedding', value: [1, 1] }, text: { columns: ['title'], query }, limit: 5 }))
            .filter((hit) => hit.textRank !== null)
            .map((hit) => hit.entity.title);
        expect(await byText('gamma')).toEqual(['gamma delta']);
        expect(await byText('alpha')).toEqual(['alpha beta']);
        expect(await after.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });
      } finally {
        await after.destroy();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
if (!fileBackends.length) it.skip('needs a SQLite or libSQL backend (TEST_BACKENDS)', () => undefined);
