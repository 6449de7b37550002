/**
 * The benchmarks' store: ServiceDeps over a migrated SQLite file, with the system clock and a
 * silent logger, as the server would open it (loadConfig, createStore, migrateToLatest).
 */
import path from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { systemClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest } from '../src/store/index.js';

/**
 * Opens (creating and migrating) the SQLite store in `file`, with `env` added to the
 * configuration (relative paths resolve against the file's folder).
 * @returns the deps and `destroy`, which closes the store.
 */
export async function openSqliteDeps(
  file: string,
  env: Record<string, string> = {},
): Promise<{ deps: ServiceDeps; destroy: () => Promise<void> }> {
  const config = loadConfig(
    { DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', ...env },
    path.dirname(file),
  );
  const store = createStore(config.store);
  await migrateToLatest(store.db);
  const deps: ServiceDeps = {
    db: store.db,
    dialect: 'sqlite',
    clock: systemClock,
    config,
    log: createLogger('silent'),
  };
  return { deps, destroy: () => store.destroy() };
}
