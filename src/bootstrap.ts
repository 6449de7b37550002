import { fileURLToPath } from 'node:url';
import { withSharedSecrets, type Config } from './config/index.js';
import { checkSecretFiles, shareSecrets } from './identity/index.js';
import { refreshStalePublicForms } from './intake/index.js';
import { systemClock, type Clock } from './shared/clock.js';
import type { ServiceDeps } from './shared/deps.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createStore, migrateToLatest } from './store/index.js';

/** The shipped demo data folder (`data/demo` at the repository root). */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../data/demo/', import.meta.url));

/**
 * Checks the secret files (checkSecretFiles: an unreadable or corrupt one stops the start with a
 * ConfigError, exit 78), opens the store that `config` names, applies pending migrations, takes or
 * records the secrets every node shares (shareSecrets: a node holding others does not start; on
 * PostgreSQL the returned deps' config holds them, and only with `writeSecretFiles`, the server's
 * choice, are they written into this node's files), makes the public forms of
 * cases whose forms are missing or were made with an older rule (refreshStalePublicForms: no
 * public route may read them before) and returns the service deps with a `close()` that releases
 * the store. Used by the server and every CLI command alike.
 * @throws ConfigError for a bad secret file or secrets other nodes hold differently.
 * @throws Error when the store cannot be opened or a migration fails (the store is closed).
 */
export async function openDeps(
  config: Config,
  options: { log?: Logger; clock?: Clock; writeSecretFiles?: boolean } = {},
): Promise<{ deps: ServiceDeps; close: () => Promise<void> }> {
  checkSecretFiles(config);
  const log = options.log ?? createLogger(config.logLevel);
  const store = createStore(config.store);
  try {
    const applied = await migrateToLatest(store.db);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (error) {
    await store.destroy();
    throw error;
  }
  let deps: ServiceDeps = {
    db: store.db,
    dialect: store.dialect,
    clock: options.clock ?? systemClock,
    config,
    log,
  };
  try {
    // Before anything signs or checks with a secret: every node of the store holds the same.
    const shared = await shareSecrets(deps, { writeFiles: options.writeSecretFiles ?? false });
    if (shared !== undefined) deps = { ...deps, config: withSharedSecrets(config, shared) };
    const refreshed = await refreshStalePublicForms(deps);
    if (refreshed > 0) log.info({ cases: refreshed }, 'public forms of cases made again');
  } catch (error) {
    await store.destroy();
    throw error;
  }
  return { deps, close: () => store.destroy() };
}
