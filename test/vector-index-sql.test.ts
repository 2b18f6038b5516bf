/**
 * Exact SQL of every vector index helper on every backend's index builder, and the refusal of every
 * bad option. Pure: no database (the helpers run on real databases in vector-index-helpers.test.ts).
 */
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../src';
import { indexDifferences, resolveIndexDefinition, type VectorDialect } from '../src/dialects';
import { libsqlDialect } from '../src/dialects/libsql';
import { mariadbDialect } from '../src/dialects/mariadb';
import { postgresDialect } from '../src/dialects/postgres';
import { readVec0Declaration, sqliteVecDialect } from '../src/dialects/sqlite-vec';
import type { VectorIndexRequest } from '../src/vocabulary';
import { definitionSql } from '../src/migrations/vector-index-helpers';

// The escapes of TypeORM's drivers (PostgresDriver/AbstractSqliteDriver.escape, MysqlDriver.escape).
const doubleQuote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const backtick = (name: string) => `\`${name.replaceAll('`', '``')}\``;


function sql(dialect: VectorDialect, request: VectorIndexRequest, escape = doubleQuote) {
  return definitionSql(dialect, resolveIndexDefinition(dialect, request), escape);
}

const base = { table: 'document', column: 'embedding' } as const;

describe('PostgreSQL (pgvector) index SQL', () => {
  it.each([
    [
      { metric: 'cosine' },
      'CREATE INDEX "document_embedding_hnsw_cosine" ON "document" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)',
      'DROP INDEX "document_embedding_hnsw_cosine"',
    ],
    [
      { metric: 'l2', m: 32, efConstruction: 128, name: 'doc_l2' },
      'CREATE INDEX "doc_l2" ON "document" USING hnsw ("embedding" vector_l2_ops) WITH (m = 32, ef_construction = 128)',
      'DROP INDEX "doc_l2"',
    ],
    [
      { metric: 'inner_product', concurrently: true },
      'CREATE INDEX CONCURRENTLY "document_embedding_hnsw_inner_product" ON "document" USING hnsw ("embedding" vector_ip_ops) WITH (m = 16, ef_construction = 64)',
      'DROP INDEX CONCURRENTLY "document_embedding_hnsw_inner_product"',
    ],
    [
      { metric: 'l1' },
      'CREATE INDEX "document_embedding_hnsw_l1" ON "document" USING hnsw ("embedding" vector_l1_ops) WITH (m = 16, ef_construction = 64)',
      'DROP INDEX "document_embedding_hnsw_l1"',
    ],
    [
      { metric: 'cosine', kind: 'ivfflat' },
      'CREATE INDEX "document_embedding_ivfflat_cosine" ON "document" USING ivfflat ("embedding" vector_cosine_ops) WITH (lists = 100)',
      'DROP INDEX "document_embedding_ivfflat_cosine"',
    ],
    [
      { metric: 'l2', kind: 'ivfflat', lists: 1000, table: 'search.document' },
      'CREATE INDEX "document_embedding_ivfflat_l2" ON "search"."document" USING ivfflat ("embedding" vector_l2_ops) WITH (lists = 1000)',
      'DROP INDEX "search"."document_embedding_ivfflat_l2"',
    ],
  ])('%p', (request, up, down) => {
    expect(sql(postgresDialect, { ...base, ...(request as object) } as VectorIndexRequest)).toEqual({ up: [up], down: [down] });
  });

  it('quotes hostile table and column names with the driver escape', () => {
    expect(sql(postgresDialect, { table: 'doc"; DROP TABLE x; --', column: 'emb"edding', metric: 'l2', name: 'safe_idx' }).up).toEqual([
      'CREATE INDEX "safe_idx" ON "doc""; DROP TABLE x; --" USING hnsw ("emb""edding" vector_l2_ops) WITH (m = 16, ef_construction = 64)',
    ]);
  });
});

describe('SQLite (sqlite-vec) vec0 SQL', () => {
  it('creates a vec0 table, fills it, and keeps it in step with three triggers; down drops exactly those', () => {
    expect(sql(sqliteVecDialect, { ...base, metric: 'cosine', dimensions: 64 })).toEqual({
      up: [
        'CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0(embedding float[64] distance_metric=cosine)',
        'INSERT INTO "document_embedding_vec0_cosine"(rowid, "embedding") SELECT rowid, "embedding" FROM "document" WHERE "embedding" IS NOT NULL',
        'CREATE TRIGGER "document_embedding_vec0_cosine_insert" AFTER INSERT ON "document" WHEN NEW."embedding" IS NOT NULL BEGIN INSERT INTO "document_embedding_vec0_cosine"(rowid, "embedding") VALUES (NEW.rowid, NEW."embedding"); END',
        'CREATE TRIGGER "document_embedding_vec0_cosine_update" AFTER UPDATE ON "document" BEGIN DELETE FROM "document_embedding_vec0_cosine" WHERE rowid = OLD.rowid; INSERT INTO "document_embedding_vec0_cosine"(rowid, "embedding") SELECT NEW.rowid, NEW."embedding" WHERE NEW."embedding" IS NOT NULL; END',
        'CREATE TRIGGER "document_embedding_vec0_cosine_delete" AFTER DELETE ON "document" BEGIN DELETE FROM "document_embedding_vec0_cosine" WHERE rowid = OLD.rowid; END',
      ],
      down: [
        'DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_delete"',
        'DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_update"',
        'DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_insert"',
        'DROP TABLE "document_embedding_vec0_cosine"',
      ],
    });
  });

  it.each([
    ['l2', 'distance_metric=l2'],
    ['l1', 'distance_metric=l1'],
  ])('maps %s to %s', (metric, clause) => {
    expect(sql(sqliteVecDialect, { ...base, metric: metric as 'l2', dimensions: 8, name: 'v' }).up[0]).toBe(`CREATE VIRTUAL TABLE "v" USING vec0(embedding float[8] distance_metric=${metric === 'l2' ? 'l2' : 'l1'})`);
    expect(clause).toContain(metric);
  });

  it('searches the vec0 table with MATCH and k, as a candidate condition on the rowid', () => {
    const definition = resolveIndexDefinition(sqliteVecDialect, { ...base, metric: 'cosine', dimensions: 64 });
    const condition = sqliteVecDialect.sql.candidates!.vec0!({ aliasSql: '"entity"', tableSql: '"document"', primaryColumnsSql: ['"id"'], metric: 'cosine', index: definition.name, column: definition.column, vectorSql: ':v', kSql: ':k', escape: doubleQuote });
    expect(condition).toBe('"entity".rowid IN (SELECT rowid FROM "document_embedding_vec0_cosine" WHERE "embedding" MATCH :v AND k = :k)');
  });
});

describe('SQLite (sqlite-vec) vec0 filter columns', () => {
  const filtered: VectorIndexRequest = {
    ...base,
    metric: 'cosine',
    dimensions: 8,
    filterColumns: [
      { column: 'category', type: 'varchar' },
      { column: 'tenant_id', type: 'integer' },
      { column: 'score', type: 'double precision' },
      { column: 'published', type: 'BOOLEAN' },
    ],
    partitionKey: 'tenant_id',
  };

  it('declares the partition key first, then metadata columns in vec0 types; the fill and triggers copy them all', () => {
    const definition = resolveIndexDefinition(sqliteVecDialect, filtered);
    expect(definition.filterColumns).toEqual([
      { column: 'category', type: 'text' },
      { column: 'tenant_id', type: 'integer' },
      { column: 'score', type: 'float' },
      { column: 'published', type: 'boolean' },
    ]);
    expect(definition.partitionKey).toBe('tenant_id');
    const v = '"document_embedding_vec0_cosine"';
    const columns = '"embedding", "tenant_id", "category", "score", "published"';
    const values = 'NEW."embedding", NEW."tenant_id", NEW."category", NEW."score", NEW."published"';
    expect(sql(sqliteVecDialect, filtered)).toEqual({
      up: [
        `CREATE VIRTUAL TABLE ${v} USING vec0(embedding float[8] distance_metric=cosine, tenant_id integer partition key, category text, score float, published boolean)`,
        `INSERT INTO ${v}(rowid, ${columns}) SELECT rowid, ${columns} FROM "document" WHERE "embedding" IS NOT NULL`,
        `CREATE TRIGGER "document_embedding_vec0_cosine_insert" AFTER INSERT ON "document" WHEN NEW."embedding" IS NOT NULL BEGIN INSERT INTO ${v}(rowid, ${columns}) VALUES (NEW.rowid, ${values}); END`,
        `CREATE TRIGGER "document_embedding_vec0_cosine_update" AFTER UPDATE ON "document" BEGIN DELETE FROM ${v} WHERE rowid = OLD.rowid; INSERT INTO ${v}(rowid, ${columns}) SELECT NEW.rowid, ${values} WHERE NEW."embedding" IS NOT NULL; END`,
        `CREATE TRIGGER "document_embedding_vec0_cosine_delete" AFTER DELETE ON "document" BEGIN DELETE FROM ${v} WHERE rowid = OLD.rowid; END`,
      ],
      down: [
        'DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_delete"',
        'DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_update"',
        'DROP TRIGGER IF EXISTS "document_embedding_vec0_cosine_insert"',
        `DROP TABLE ${v}`,
      ],
    });
  });

  it('reads the declaration back, and an existing index with other filter columns is neither matched nor recreated with the new ones', () => {
    const definition = resolveIndexDefinition(sqliteVecDialect, filtered);
    const [created] = sql(sqliteVecDialect, filtered).up;
    expect(readVec0Declaration(created!)).toEqual({
      column: 'embedding',
      dimensions: 8,
      elementType: 'float32',
      metric: 'cosine',
      filterColumns: [
        { column: 'tenant_id', type: 'integer' },
        { column: 'category', type: 'text' },
        { column: 'score', type: 'float' },
        { column: 'published', type: 'boolean' },
      ],
      partitionKey: 'tenant_id',
    });
    const existingIndex = sqliteVecDialect.ddl!.existingIndex!;
    const read = (text: string) => sqliteVecDialect.introspection.readVectorIndexes!([{ name: 'document_embedding_vec0_cosine', definition: text }])[0]!;
    expect(indexDifferences(sqliteVecDialect, read(created!), definition)).toEqual([]);
    const older = 'CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0(embedding float[8] distance_metric=cosine, category text)';
    expect(indexDifferences(sqliteVecDialect, read(older), definition)).toEqual([
      'filterColumns [category text] -> [tenant_id integer, category text, score float, published boolean]',
      'partitionKey none -> tenant_id',
    ]);
    const restored = existingIndex.recreate(read(older), definition, doubleQuote);
    expect(restored[0]).toBe(older);
    expect(restored[1]).toBe('INSERT INTO "document_embedding_vec0_cosine"(rowid, "embedding", "category") SELECT rowid, "embedding", "category" FROM "document" WHERE "embedding" IS NOT NULL');
    expect(restored.slice(2).join('\n')).not.toMatch(/tenant_id|score|published/);
    // The catalog reader still finds the vector column and metric behind the filter columns.
    expect(sqliteVecDialect.introspection.readVectorIndexes!([{ name: 'v', definition: created }])).toEqual([
      { name: 'v', definition: created, column: 'embedding', kind: 'vec0', metric: 'cosine', dimensions: 8, meaning: expect.objectContaining({ kind: 'vec0', partitionKey: 'tenant_id' }) },
    ]);
  });

  it('without filter columns the definition says so', () => {
    expect(resolveIndexDefinition(sqliteVecDialect, { ...base, metric: 'l2', dimensions: 3 })).toMatchObject({ filterColumns: [], partitionKey: undefined });
  });

  const sixteen = Array.from({ length: 16 }, (_, i) => ({ column: `m${i}`, type: 'integer' }));
  it('takes 16 metadata columns plus the partition key', () => {
    const request = { ...base, metric: 'l2' as const, dimensions: 3, filterColumns: [...sixteen, { column: 'p', type: 'text' }], partitionKey: 'p' };
    expect(sql(sqliteVecDialect, request).up[0]).toMatch(/vec0\(embedding float\[3\] distance_metric=l2, p text partition key, m0 integer, .*, m15 integer\)$/);
  });

  const cases: Array<[string, VectorDialect, Record<string, unknown>, Function, RegExp]> = [
    ['filterColumns on pgvector', postgresDialect, { filterColumns: [{ column: 'c', type: 'integer' }] }, VectorConfigurationError, /^A PostgreSQL \(pgvector\) 'hnsw' index cannot hold filter columns \(only a SQLite \(sqlite-vec\) 'vec0' index can\); remove filterColumns, findNearest's filter still applies\.$/],
    ['partitionKey on libSQL', libsqlDialect, { partitionKey: 'c' }, VectorConfigurationError, /^A libSQL 'diskann' index cannot hold filter columns .*; remove partitionKey,/],
    ['filterColumns on MariaDB', mariadbDialect, { filterColumns: [] }, VectorConfigurationError, /MariaDB 'hnsw' index cannot hold filter columns/],
    ['filterColumns not an array', sqliteVecDialect, { filterColumns: 'category' }, VectorConfigurationError, /^filterColumns "category" is not an array/],
    ['a filter column as a bare name', sqliteVecDialect, { filterColumns: ['category'] }, VectorConfigurationError, /^Filter column "category" is not \{ column, type \}/],
    ['a date column', sqliteVecDialect, { filterColumns: [{ column: 'created', type: 'datetime' }] }, UnsupportedVectorFeatureError, /^Filter column 'created' has type "datetime", which a SQLite \(sqlite-vec\) 'vec0' index cannot hold \(it stores 'integer', 'float', 'text', 'boolean' values, from SQL types such as 'integer', 'real', 'varchar', 'boolean'\); leave it out of filterColumns\.$/],
    ['a decimal column', sqliteVecDialect, { filterColumns: [{ column: 'price', type: 'decimal' }] }, UnsupportedVectorFeatureError, /'price' has type "decimal"/],
    ['the vector column', sqliteVecDialect, { filterColumns: [{ column: 'Embedding', type: 'integer' }] }, VectorConfigurationError, /^Filter column 'Embedding' is the indexed vector column/],
    ['a column twice', sqliteVecDialect, { filterColumns: [{ column: 'a', type: 'integer' }, { column: 'A', type: 'text' }] }, VectorConfigurationError, /^Filter column 'A' is listed twice/],
    ['partitionKey not listed', sqliteVecDialect, { filterColumns: [{ column: 'a', type: 'integer' }], partitionKey: 'b' }, VectorConfigurationError, /^partitionKey "b" is not one of filterColumns; add it to filterColumns\.$/],
    ['a float partition key', sqliteVecDialect, { filterColumns: [{ column: 'a', type: 'real' }], partitionKey: 'a' }, UnsupportedVectorFeatureError, /^partitionKey 'a' has type float but a SQLite \(sqlite-vec\) 'vec0' index partitions by 'integer', 'text' only/],
    ['a boolean partition key', sqliteVecDialect, { filterColumns: [{ column: 'a', type: 'boolean' }], partitionKey: 'a' }, UnsupportedVectorFeatureError, /partitionKey 'a' has type boolean/],
    ['17 metadata columns', sqliteVecDialect, { filterColumns: [...sixteen, { column: 'm16', type: 'text' }] }, UnsupportedVectorFeatureError, /holds at most 16 filter columns \(the partition key not counted\) but 17 are listed/],
    ['a column vec0 has itself', sqliteVecDialect, { filterColumns: [{ column: 'distance', type: 'float' }] }, UnsupportedVectorFeatureError, /cannot hold a column named "distance" \(vec0 needs a letter, then letters, digits and underscores, and not rowid, distance, k\); rename the column/],
    ['k', sqliteVecDialect, { filterColumns: [{ column: 'K', type: 'integer' }] }, UnsupportedVectorFeatureError, /column named "K"/],
    ['a leading underscore', sqliteVecDialect, { filterColumns: [{ column: '_tenant', type: 'integer' }] }, UnsupportedVectorFeatureError, /column named "_tenant"/],
    ['a name needing quotes', sqliteVecDialect, { filterColumns: [{ column: 'my col', type: 'integer' }] }, UnsupportedVectorFeatureError, /column named "my col"/],
  ];

  it.each(cases)('refuses %s', (_label, dialect, override, errorClass, message) => {
    const request = { ...base, metric: 'l2', ...(dialect === sqliteVecDialect ? { dimensions: 3 } : {}), ...override };
    const attempt = () => sql(dialect, request as never);
    expect(attempt).toThrow(errorClass as new () => Error);
    expect(attempt).toThrow(message);
  });
});

describe('MariaDB index SQL', () => {
  it.each([
    [{ metric: 'cosine' }, 'CREATE VECTOR INDEX `document_embedding_hnsw_cosine` ON `document` (`embedding`) M=16 DISTANCE=cosine', 'DROP INDEX `document_embedding_hnsw_cosine` ON `document`'],
    [{ metric: 'l2', m: 32, name: 'emb_l2' }, 'CREATE VECTOR INDEX `emb_l2` ON `document` (`embedding`) M=32 DISTANCE=euclidean', 'DROP INDEX `emb_l2` ON `document`'],
    [{ metric: 'l2', table: 'app.document' }, 'CREATE VECTOR INDEX `document_embedding_hnsw_l2` ON `app`.`document` (`embedding`) M=16 DISTANCE=euclidean', 'DROP INDEX `document_embedding_hnsw_l2` ON `app`.`document`'],
  ])('%p', (request, up, down) => {
    expect(sql(mariadbDialect, { ...base, ...(request as object) } as VectorIndexRequest, backtick)).toEqual({ up: [up], down: [down] });
  });

  it('quotes backticks in names', () => {
    expect(sql(mariadbDialect, { table: 'do`c', column: 'emb', metric: 'l2', name: 'i' }, backtick).up[0]).toBe('CREATE VECTOR INDEX `i` ON `do``c` (`emb`) M=16 DISTANCE=euclidean');
  });
});

describe('libSQL index SQL', () => {
  it.each([
    [
      { metric: 'cosine' },
      `CREATE INDEX "document_embedding_diskann_cosine" ON "document" (libsql_vector_idx("embedding", 'metric=cosine', 'max_neighbors=64', 'compress_neighbors=float32'))`,
      'DROP INDEX "document_embedding_diskann_cosine"',
    ],
    [
      { metric: 'l2', maxNeighbors: 32, compressNeighbors: 'float8', name: 'emb_idx' },
      `CREATE INDEX "emb_idx" ON "document" (libsql_vector_idx("embedding", 'metric=l2', 'max_neighbors=32', 'compress_neighbors=float8'))`,
      'DROP INDEX "emb_idx"',
    ],
  ])('%p', (request, up, down) => {
    expect(sql(libsqlDialect, { ...base, ...(request as object) } as VectorIndexRequest)).toEqual({ up: [up], down: [down] });
  });
});

describe('bad index options are refused with one sentence, before any SQL', () => {
  const cases: Array<[string, VectorDialect, Record<string, unknown>, Function, RegExp]> = [
    ['options not an object', postgresDialect, null as never, VectorConfigurationError, /Vector index options null are not an object/],
    ['table not a string', postgresDialect, { table: 42 }, VectorConfigurationError, /Table 42 is not a table name/],
    ['empty table', postgresDialect, { table: '' }, VectorConfigurationError, /Table "" is not a table name/],
    ['three-part table', postgresDialect, { table: 'a.b.c' }, VectorConfigurationError, /Table "a\.b\.c"/],
    ['control character in table', postgresDialect, { table: 'doc\n' }, VectorConfigurationError, /Table "doc\\n"/],
    ['table part too long', postgresDialect, { table: 'x'.repeat(64) }, VectorConfigurationError, /at most 63 characters/],
    ['column missing', postgresDialect, { column: undefined }, VectorConfigurationError, /Column undefined is not an identifier/],
    ['column with a dot', postgresDialect, { column: 'a.b' }, VectorConfigurationError, /Column "a\.b" is not an identifier/],
    ['unknown metric', postgresDialect, { metric: 'dot' }, VectorConfigurationError, /Unknown metric "dot"; use one of 'l2', 'cosine', 'inner_product', 'l1', 'hamming', 'jaccard'\./],
    ['metric the backend lacks', sqliteVecDialect, { metric: 'inner_product', dimensions: 3 }, UnsupportedVectorFeatureError, /has no 'inner_product' distance/],
    ['metric the kind cannot serve', postgresDialect, { metric: 'l1', kind: 'ivfflat' }, UnsupportedVectorFeatureError, /'ivfflat' index cannot serve the 'l1' metric; use metric 'l2', 'cosine', 'inner_product', or kind 'hnsw'\./],
    ['MariaDB inner product', mariadbDialect, { metric: 'inner_product' }, UnsupportedVectorFeatureError, /MariaDB has no 'inner_product' distance/],
    ['unknown kind', postgresDialect, { kind: 'btree' }, UnsupportedVectorFeatureError, /Unknown vector index kind "btree"; use kind 'hnsw', 'ivfflat'\./],
    ['kind of another backend', sqliteVecDialect, { kind: 'hnsw' }, UnsupportedVectorFeatureError, /SQLite \(sqlite-vec\) has no 'hnsw' vector index; use kind 'vec0'\./],
    ['bad name', postgresDialect, { name: 'my index' }, VectorConfigurationError, /Vector index name "my index" is not a plain identifier/],
    ['name too long', postgresDialect, { name: 'i'.repeat(64) }, VectorConfigurationError, /at most 63 characters/],
    ['default name too long', postgresDialect, { table: 't'.repeat(60) }, VectorConfigurationError, /pass name:/],
    ['dimensions zero', postgresDialect, { dimensions: 0 }, VectorConfigurationError, /dimensions 0 .* is not a positive integer/],
    ['dimensions fractional', postgresDialect, { dimensions: 2.5 }, VectorConfigurationError, /dimensions 2\.5/],
    ['past pgvector index limit', postgresDialect, { dimensions: 2001 }, UnsupportedVectorFeatureError, /'hnsw' index takes at most 2000 dimensions but document\.embedding has 2001/],
    ['past vec0 limit', sqliteVecDialect, { dimensions: 8193 }, UnsupportedVectorFeatureError, /at most 8192 dimensions/],
    ['m too small', postgresDialect, { m: 1 }, VectorConfigurationError, /^m 1 is not an integer from 2 to 100; pass e\.g\. m: 16 \(the default\)\.$/],
    ['m too large', postgresDialect, { m: 101 }, VectorConfigurationError, /m 101 is not an integer from 2 to 100/],
    ['m not integer', postgresDialect, { m: 16.5 }, VectorConfigurationError, /m 16\.5/],
    ['m as string', postgresDialect, { m: '16' }, VectorConfigurationError, /m "16" is not an integer/],
    ['efConstruction too small', postgresDialect, { efConstruction: 3 }, VectorConfigurationError, /efConstruction 3 is not an integer from 4 to 1000/],
    ['efConstruction below 2m', postgresDialect, { m: 48, efConstruction: 64 }, VectorConfigurationError, /efConstruction 64 is less than 2 x m \(96\)/],
    ['lists zero', postgresDialect, { kind: 'ivfflat', lists: 0 }, VectorConfigurationError, /lists 0 is not an integer from 1 to 32768/],
    ['lists too large', postgresDialect, { kind: 'ivfflat', lists: 32769 }, VectorConfigurationError, /lists 32769/],
    ['lists on hnsw', postgresDialect, { lists: 100 }, VectorConfigurationError, /Unknown option 'lists' for a PostgreSQL \(pgvector\) 'hnsw' index; use .*m, efConstruction, concurrently\./],
    ['m on ivfflat', postgresDialect, { kind: 'ivfflat', m: 16 }, VectorConfigurationError, /Unknown option 'm' for a PostgreSQL \(pgvector\) 'ivfflat' index/],
    ['concurrently not boolean', postgresDialect, { concurrently: 'yes' }, VectorConfigurationError, /concurrently "yes" is not a boolean/],
    ['server option spelled raw', postgresDialect, { ef_construction: 64 }, VectorConfigurationError, /Unknown option 'ef_construction'/],
    ['MariaDB m too small', mariadbDialect, { m: 2 }, VectorConfigurationError, /m 2 is not an integer from 3 to 200/],
    ['MariaDB lists', mariadbDialect, { lists: 10 }, VectorConfigurationError, /Unknown option 'lists' for a MariaDB 'hnsw' index/],
    ['libSQL maxNeighbors too small', libsqlDialect, { maxNeighbors: 1 }, VectorConfigurationError, /maxNeighbors 1 is not an integer from 2 to 1024/],
    ['libSQL maxNeighbors too large', libsqlDialect, { maxNeighbors: 1025 }, VectorConfigurationError, /maxNeighbors 1025/],
    ['libSQL compression', libsqlDialect, { compressNeighbors: 'int8' }, VectorConfigurationError, /compressNeighbors "int8" is not valid for a 'diskann' index; use one of 'float1bit', 'float8', 'float16', 'floatb16', 'float32'\./],
    ['libSQL m', libsqlDialect, { m: 16 }, VectorConfigurationError, /Unknown option 'm' for a libSQL 'diskann' index/],
    ['vec0 column needing quotes', sqliteVecDialect, { column: 'my embedding', dimensions: 3 }, UnsupportedVectorFeatureError, /needs a column name of letters, digits and underscores, not "my embedding"/],
    ['vec0 tuning', sqliteVecDialect, { m: 16, dimensions: 3 }, VectorConfigurationError, /Unknown option 'm' for a SQLite \(sqlite-vec\) 'vec0' index/],
  ];

  it.each(cases)('%s', (_label, dialect, override, errorClass, message) => {
    const request = override === null ? null : { ...base, metric: dialect === sqliteVecDialect ? 'l2' : 'cosine', ...override };
    const attempt = () => sql(dialect, request as never);
    expect(attempt).toThrow(errorClass as new () => Error);
    expect(attempt).toThrow(message);
  });

  it('vec0 without dimensions says to pass them', () => {
    expect(() => sql(sqliteVecDialect, { ...base, metric: 'l2' })).toThrow(
      /A SQLite \(sqlite-vec\) 'vec0' index needs the vector size and document\.embedding does not record it; pass dimensions: N/,
    );
  });
});
