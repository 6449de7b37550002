export { createStore, migrateToLatest } from './create-store.js';
export type { Store, Dialect } from './create-store.js';
export type * from './schema.js';
export type * from './schema-workflow.js';
export type * from './schema-evidence.js';
export type * from './schema-statistics.js';
export type * from './schema-dedup.js';
export type * from './schema-views.js';
export { isTransientConflict, retryOnConflict, TRANSIENT_CONFLICT_CODES } from './transactions.js';
