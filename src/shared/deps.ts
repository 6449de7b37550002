import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import type { Database, Dialect } from '../store/index.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

/**
 * What every capability function receives, explicitly: the store (`db` may be a transaction),
 * its dialect, the clock, the frozen config and the logger. The HTTP API, the CLI and tests build
 * one and call the same functions.
 */
export interface ServiceDeps {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly clock: Clock;
  readonly config: Config;
  readonly log: Logger;
}
