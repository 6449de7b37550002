import { openDeps } from '../bootstrap.js';
import { ConfigError, loadCliConfig } from '../config/index.js';
import { isAppError } from '../shared/errors.js';
import type { ServiceDeps } from '../shared/deps.js';
import { createLogger } from '../shared/logger.js';

/** Exit statuses of the CLI (sysexits.h where one fits). */
export const EXIT = { ok: 0, failure: 1, usage: 64, dataError: 65, config: 78 } as const;

/** Maps an error to the CLI's exit status: AppError 4xx → 65 (bad input), config → 78, else 1. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ConfigError) return EXIT.config;
  if (isAppError(error)) return error.status < 500 ? EXIT.dataError : EXIT.failure;
  return EXIT.failure;
}

/**
 * Prints `error` as `scamnet: <code>: <message>` (an AppError) or `scamnet: <message>` on stderr
 * and sets the exit status by exitCodeOf.
 */
export function reportCliError(error: unknown): void {
  const message = isAppError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`scamnet: ${message}\n`);
  process.exitCode = exitCodeOf(error);
}

/**
 * Writes `value` to stdout as JSON and a newline: on one line (JSON Lines, for machines), or
 * indented by two spaces with `pretty` (one document a person reads, e.g. a created key).
 */
export function printJson(value: unknown, options: { pretty?: boolean } = {}): void {
  process.stdout.write(`${JSON.stringify(value, null, options.pretty === true ? 2 : undefined)}\n`);
}

/**
 * Runs `action` with service deps opened from the environment (DATABASE_URL etc.), closes the
 * store afterwards, prints errors as `scamnet: <code>: <message>` and sets the exit status.
 * Logs go to stderr at `warn` unless LOG_LEVEL says otherwise.
 */
export async function withDeps(action: (deps: ServiceDeps) => Promise<void>): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  try {
    const config = loadCliConfig();
    const opened = await openDeps(config, { log: createLogger(config.logLevel) });
    close = opened.close;
    await action(opened.deps);
  } catch (error) {
    reportCliError(error);
  } finally {
    await close?.();
  }
}
