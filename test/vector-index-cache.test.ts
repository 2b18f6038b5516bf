/**
 * findNearest reads a column's vector indexes from the catalog at most once a second (outside a
 * transaction): DDL run through any VectorDataSource of the process is seen at once, DDL from
 * elsewhere (another process, here a plain better-sqlite3 connection) within VECTOR_INDEX_CACHE_MS.
 * SQLite file (sqlite-vec's vec0 is the index), so it needs no server.
 */
import 'reflect-metadata';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Entity, PrimaryColumn } from 'typeorm';
import { createVectorIndex, dropVectorIndex, searchNearest, VectorColumn, VectorDataSource } from '../src';
import { VECTOR_INDEX_CACHE_MS } from '../src/query/vector-index-cache';

@Entity('cached_item')
class CachedItem {
  @PrimaryColumn() id!: number;
  @VectorColumn(3) embedding!: number[];
}

describe('the vector index cache of findNearest', () => {
  let dir: string;
  let file: string;
  let reader: VectorDataSource;
  let writer: VectorDataSource;
  const strategy = async () => (await searchNearest(reader.getRepository(CachedItem), { column: 'embedding', vector: [1, 0, 0], limit: 2 })).strategy;
  const withRunner = async (work: (qr: ReturnType<VectorDataSource['createQueryRunner']>) => Promise<void>) => {
    const qr = writer.createQueryRunner();
    try {
      await work(qr);
    } finally {
      await qr.release();
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typeorm-vector-index-cache-'));
    file = path.join(dir, 'cache.db');
    reader = await new VectorDataSource({ type: 'better-sqlite3', database: file, entities: [CachedItem], synchronize: true }).initialize();
    writer = await new VectorDataSource({ type: 'better-sqlite3', database: file, entities: [CachedItem] }).initialize();
    await reader.getRepository(CachedItem).insert([1, 2, 3].map((id) => ({ id, embedding: [id, 0, 0] })));
  });
  afterAll(async () => {
    await writer?.destroy();
    await reader?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sees an index created or dropped through another VectorDataSource of the process at once', async () => {
    expect(await strategy()).toBe('exact');
    await withRunner((qr) => createVectorIndex(qr, { table: 'cached_item', column: 'embedding', metric: 'l2', name: 'cached_item_vec', dimensions: 3 }));
    expect(await strategy()).toBe('index');
    await withRunner((qr) => dropVectorIndex(qr, { table: 'cached_item', column: 'embedding', metric: 'l2', name: 'cached_item_vec', dimensions: 3 }));
    expect(await strategy()).toBe('exact');
  });

  it('sees DDL from outside the process within VECTOR_INDEX_CACHE_MS', async () => {
    expect(await strategy()).toBe('exact');
    // The same statements createVectorIndex sent above, from a connection typeorm-vector does not see.
    await withRunner((qr) => createVectorIndex(qr, { table: 'cached_item', column: 'embedding', metric: 'l2', name: 'cached_item_vec', dimensions: 3 }));
    const statements = (reader.query(`SELECT sql FROM sqlite_master WHERE name = 'cached_item_vec' OR (type = 'trigger' AND tbl_name = 'cached_item')`) as Promise<Array<{ sql: string }>>);
    const ddl = (await statements).map((row) => row.sql);
    await withRunner((qr) => dropVectorIndex(qr, { table: 'cached_item', column: 'embedding', metric: 'l2', name: 'cached_item_vec', dimensions: 3 }));
    expect(await strategy()).toBe('exact');
    const outside = new Database(file);
    try {
      require('sqlite-vec').load(outside);
      for (const sql of ddl) outside.exec(sql);
      outside.exec(`INSERT INTO cached_item_vec(rowid, embedding) SELECT id, embedding FROM cached_item`);
    } finally {
      outside.close();
    }
    const seenAt = Date.now();
    let found = await strategy();
    while (found !== 'index' && Date.now() - seenAt < VECTOR_INDEX_CACHE_MS + 500) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = await strategy();
    }
    expect(found).toBe('index');
    expect(Date.now() - seenAt).toBeLessThan(VECTOR_INDEX_CACHE_MS + 500);
  });
});
