export { createStore, migrateToLatest, pingStore } from './create-store.js';
export type { Store, Dialect } from './create-store.js';
export type * from './schema.js';
export type * from './schema-workflow.js';
export type * from './schema-evidence.js';
export type * from './schema-statistics.js';
export type * from './schema-dedup.js';
export type * from './schema-views.js';
export type * from './schema-hashlists.js';
export type * from './schema-lookup.js';
export type * from './schema-line.js';
export type * from './schema-followers.js';
export type * from './schema-demo.js';
export {
  inSnapshot,
  isTransientConflict,
  retryOnConflict,
  TRANSIENT_CONFLICT_CODES,
  transactionHorizon,
} from './transactions.js';
export type { BlocklistEntriesTable } from './schema-blocklist.js';
export type { FeedIndicatorsTable } from './schema-blocklist.js';
export type { SharedSecretsTable } from './schema-identity.js';
export { writesThrough } from './write-watch.js';
export {
  LISTENER_APPLICATION_NAME,
  listenToStore,
  type ListenHandlers,
  type StoreListener,
} from './notifications.js';
