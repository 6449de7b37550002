export { createStore, migrateToLatest } from './create-store.js';
export type { Store, Dialect } from './create-store.js';
export type * from './schema.js';
