/**
 * Which server of a replicated DataSource (TypeORM `replication: { master, slaves }`) a vector read
 * runs on: `'replica'` (a slave, TypeORM's read mode) or `'primary'` (the master, which has every
 * write already: read-your-writes). Unset follows TypeORM's `replication.defaultMode` (a replica
 * unless set otherwise). Without replication both name the one server.
 *
 * @example
 * const readFrom: ReadFrom = 'primary'; // findNearest(repo, { ..., readFrom }) sees the row just saved
 */
export type ReadFrom = 'replica' | 'primary';

/** The values of `ReadFrom`. */
export const READ_FROM_VALUES = ['replica', 'primary'] as const satisfies readonly ReadFrom[];
