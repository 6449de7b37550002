import { openDeps } from '../bootstrap.js';
import { ConfigError, loadCliConfig } from '../config/index.js';
import { isAppError } from '../shared/errors.js';
import type { ServiceDeps } from '../shared/deps.js';
import { createLogger } from '../shared/logger.js';
import { integrateLog, startLogSequencer, type LogSequencer } from '../log/index.js';

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
  process.stderr.write(`scamnet: ${cliMessage(error)}\n`);
  process.exitCode = exitCodeOf(error);
}

/** What reportCliError prints of `error` after `scamnet: `. */
function cliMessage(error: unknown): string {
  if (isAppError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
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
 * While `action` runs the log's sequencer runs too (a long import's events are integrated as it
 * goes), and before the store is closed every committed event is integrated (integrateLog: the
 * command's own, and any a crashed process left), so a command's events are in the log when it
 * exits, whether it succeeded or failed (no tree head is signed: the server signs them).
 * Logs go to stderr at `warn` unless LOG_LEVEL says otherwise.
 */
export async function withDeps(action: (deps: ServiceDeps) => Promise<void>): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  let deps: ServiceDeps | undefined;
  let sequencer: LogSequencer | undefined;
  /** What the command's own failure printed (null while it has not failed). */
  let failure: string | null = null;
  try {
    const config = loadCliConfig();
    const opened = await openDeps(config, { log: createLogger(config.logLevel) });
    close = opened.close;
    deps = opened.deps;
    sequencer = startLogSequencer(deps, { sign: false });
    await action(deps);
  } catch (error) {
    failure = cliMessage(error);
    reportCliError(error);
  } finally {
    try {
      await sequencer?.stop();
      if (deps !== undefined) await integrateLog(deps, { sign: false });
    } catch (error) {
      // A store that failed the command usually fails this too, with the same error: said once.
      // After a failed command the exit status stays the command's.
      if (failure === null) reportCliError(error);
      else if (cliMessage(error) !== failure)
        process.stderr.write(`scamnet: ${cliMessage(error)}\n`);
    }
    await close?.();
  }
}

/**
 * Runs `compute` as withDeps does and prints what it returns as JSON (printJson; `pretty` for one
 * document a person reads). For the many commands that only ask a capability and print its answer.
 */
export async function printWithDeps(
  compute: (deps: ServiceDeps) => Promise<unknown>,
  options: { pretty?: boolean } = {},
): Promise<void> {
  await withDeps(async (deps) => {
    printJson(await compute(deps), options);
  });
}

/** Runs `list` as withDeps does and prints its elements as JSON Lines, one per line. */
export async function printLinesWithDeps(
  list: (deps: ServiceDeps) => Promise<readonly unknown[]>,
): Promise<void> {
  await withDeps(async (deps) => {
    for (const value of await list(deps)) printJson(value);
  });
}

/** The most refused rows an import lists on stderr; the rest are only counted. */
const MAX_REJECTIONS_SHOWN = 200;

/**
 * Lists an import's refused rows on stderr as `line N: message` (the first 200, then how many
 * more `word` rows there were) and sets exit status 65 (EXIT.dataError) when there are any.
 */
export function reportRejectedRows(
  rejected: ReadonlyArray<{ line: number; message: string }>,
  word: string,
): void {
  for (const { line, message } of rejected.slice(0, MAX_REJECTIONS_SHOWN)) {
    process.stderr.write(`line ${line}: ${message}\n`);
  }
  if (rejected.length > MAX_REJECTIONS_SHOWN) {
    process.stderr.write(`… and ${rejected.length - MAX_REJECTIONS_SHOWN} more ${word} rows\n`);
  }
  if (rejected.length > 0) process.exitCode = EXIT.dataError;
}
