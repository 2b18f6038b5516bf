/**
 * Semantic search demo: `npm run demo` (or `npm run demo -- "your query"`).
 * Runs offline on embedded SQLite + sqlite-vec (a file in the temporary folder, or DEMO_DATABASE);
 * set DATABASE_URL (postgres://, mariadb://, libsql:// or file:) to run it on another backend.
 */
import 'reflect-metadata';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { VectorDataSource, findNearest } from '../src';
import { backendOptions, describeUrl } from './backend-options';
import { CORPUS } from './corpus';
import { embed } from './embed';
import { Document } from './entities/document';

async function main(): Promise<void> {
  const queries = process.argv.slice(2).length ? process.argv.slice(2) : ['how do I bake bread', 'training for a running race', 'database for embeddings'];
  const sqliteFile = process.env.DEMO_DATABASE ?? path.join(os.tmpdir(), 'typeorm-vector-demo.sqlite');
  const dataSource = new VectorDataSource({
    ...backendOptions(process.env.DATABASE_URL, sqliteFile),
    entities: [Document],
    synchronize: true,
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    const documents = dataSource.getRepository(Document);
    if ((await documents.count()) === 0) {
      await documents.insert(CORPUS.map((doc) => ({ ...doc, embedding: embed(`${doc.title} ${doc.body}`) })));
      console.log(`Indexed ${CORPUS.length} documents into ${describeUrl(process.env.DATABASE_URL, sqliteFile)}.`);
    }
    for (const query of queries) {
      const nearest = await findNearest(documents, { column: 'embedding', vector: embed(query), metric: 'cosine', limit: 3 });
      console.log(`\n"${query}"`);
      for (const { entity, distance } of nearest) console.log(`  ${distance.toFixed(3)}  ${entity.title}: ${entity.body}`);
    }
    // The same search through the query builder, combined with an ordinary WHERE:
    const { entities, raw } = await documents
      .createQueryBuilder('doc')
      .where('doc.body LIKE :word', { word: '%water%' })
      .orderByCosine('doc.embedding', embed('coffee'))
      .addSelectDistance('doc.embedding', embed('coffee'), 'cosine', 'distance')
      .limit(2)
      .getRawAndEntities();
    console.log('\nQuery builder: documents mentioning "water", nearest to "coffee":');
    entities.forEach((doc, i) => console.log(`  ${Number(raw[i].distance).toFixed(3)}  ${doc.title}`));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
