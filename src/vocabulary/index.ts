export * from './metrics';
export * from './index-kinds';
export * from './vector-types';
export * from './identifiers';
export * from './describe-value';
export * from './sql-text';
export * from './index-options';
export * from './capabilities';
