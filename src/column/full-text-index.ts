import { VectorConfigurationError } from '../errors';
import { isPlainIdentifier, isTextSearchConfig } from '../vocabulary';

/**
 * Options of `@FullTextIndex`.
 *
 * @example
 * @FullTextIndex(['title', 'body'], { config: 'simple', name: 'doc_text' })
 */
export interface FullTextIndexOptions {
  /** PostgreSQL's text search configuration of the index (default `'english'`); queries use it too unless they name another. Ignored elsewhere. */
  config?: string;
  /** Index name (the FTS5 table's on SQLite and libSQL); default `<table>_<columns>_fts`. */
  name?: string;
}

/** What `@FullTextIndex` recorded about one entity class. */
export interface FullTextIndexSpec {
  /** Entity property names, in order. */
  readonly properties: readonly string[];
  readonly config?: string;
  readonly name?: string;
  /** `@FullTextIndex on Entity`, for error messages. */
  readonly subject: string;
}

const specsByTarget = new WeakMap<Function, FullTextIndexSpec[]>();

/**
 * Declares a full-text index over text properties of an entity, the one `findHybrid` reads:
 * on PostgreSQL a GIN index on `to_tsvector(config, ...)` of the columns; on SQLite and libSQL an
 * external-content FTS5 table kept in step by triggers; on MariaDB (and MySQL) a `FULLTEXT` index.
 * `synchronize` and `migration:generate` (on a `VectorDataSource`) create it, and a later generate
 * finds no changes.
 *
 * @example
 * @Entity()
 * @FullTextIndex(['title', 'body']) // PostgreSQL: CREATE INDEX "doc_title_body_fts" ON "doc" USING gin (to_tsvector('english'::regconfig, ...))
 * class Doc {
 *   @PrimaryGeneratedColumn() id!: number;
 *   @Column() title!: string;
 *   @Column('text') body!: string;
 *   @VectorColumn(384) embedding!: number[];
 * }
 */
export function FullTextIndex(properties: string[], options: FullTextIndexOptions = {}): ClassDecorator {
  return (target: Function) => {
    const subject = `@FullTextIndex on ${target.name}`;
    if (!Array.isArray(properties) || properties.length === 0 || !properties.every((p) => typeof p === 'string' && p !== '')) {
      throw new VectorConfigurationError(`${subject} has properties ${JSON.stringify(properties)}; pass a non-empty array of text property names, e.g. @FullTextIndex(['title', 'body']).`);
    }
    const twice = properties.find((property, i) => properties.indexOf(property) !== i);
    if (twice !== undefined) throw new VectorConfigurationError(`${subject} lists '${twice}' twice; list each property once.`);
    if (typeof options !== 'object' || options === null) {
      throw new VectorConfigurationError(`${subject} has options ${String(options)}; pass an object such as { config: 'english' }.`);
    }
    const unknown = Object.keys(options).find((key) => key !== 'config' && key !== 'name');
    if (unknown !== undefined) throw new VectorConfigurationError(`${subject} has unknown option '${unknown}'; use config or name.`);
    if (options.config !== undefined && !isTextSearchConfig(options.config)) {
      throw new VectorConfigurationError(`${subject} has config ${JSON.stringify(options.config)}, which is not a text search configuration name; pass e.g. config: 'english' or 'simple'.`);
    }
    if (options.name !== undefined && !isPlainIdentifier(options.name)) {
      throw new VectorConfigurationError(`${subject} has name ${JSON.stringify(options.name)}; use letters, digits and underscores, not starting with a digit.`);
    }
    specsByTarget.set(target, [...(specsByTarget.get(target) ?? []), { properties: [...properties], ...options, subject }]);
  };
}

/**
 * The full-text indexes declared on `target` and its parent classes.
 *
 * @example
 * findFullTextIndexes(Doc); // [{ properties: ['title', 'body'], subject: '@FullTextIndex on Doc' }]
 */
export function findFullTextIndexes(target: Function | string): FullTextIndexSpec[] {
  if (typeof target !== 'function') return [];
  const found: FullTextIndexSpec[] = [];
  for (let current: unknown = target; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    found.push(...(specsByTarget.get(current as Function) ?? []));
  }
  return found;
}
