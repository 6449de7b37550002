import { fileURLToPath } from 'node:url';
import type { Config } from './config/index.js';
import { shareSecrets } from './identity/index.js';
import { refreshStalePublicForms } from './intake/index.js';
import { systemClock, type Clock } from './shared/clock.js';
import type { ServiceDeps } from './shared/deps.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createStore, migrateToLatest } from './store/index.js';

/** The shipped demo data folder (`data/demo` at the repository root). */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../data/demo/', import.meta.url));

/**
 * Opens the store that `config` names, applies pending migrations, takes or records the secrets
 * every node shares (shareSecrets: a node holding others does not start), makes the public forms of
 * cases whose forms are missing or were made with an older rule (refreshStalePublicForms: no
 * public route may read them before) and returns the service deps with a `close()` that releases
 * the store. Used by the server and every CLI command alike.
 * @throws Error when the store cannot be opened or a migration fails (the store is closed).
 */
export async function openDeps(
  config: Config,
  options: { log?: Logger; clock?: Clock } = {},
): Promise<{ deps: ServiceDeps; close: () => Promise<void> }> {
  const log = options.log ?? createLogger(config.logLevel);
  const store = createStore(config.store);
  try {
    const applied = await migrateToLatest(store.db);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (error) {
    await store.destroy();
    throw error;
  }
  const deps: ServiceDeps = {
    db: store.db,
    dialect: store.dialect,
    clock: options.clock ?? systemClock,
    config,
    log,
  };
  try {
    // Before anything signs or checks with a secret: every node of the store holds the same.
    await shareSecrets(deps);
    const refreshed = await refreshStalePublicForms(deps);
    if (refreshed > 0) log.info({ cases: refreshed }, 'public forms of cases made again');
  } catch (error) {
    await store.destroy();
    throw error;
  }
  return { deps, close: () => store.destroy() };
}
