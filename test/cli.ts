/**
 * Runs the scamnet CLI in a child process, from the TypeScript sources
 * (`node --import tsx src/cli/main.ts`) in the repository root, as the CLI suites do; and the
 * server (`src/main.ts`) likewise.
 */
import {
  spawn,
  type ChildProcessByStdio,
  type ChildProcessWithoutNullStreams,
} from 'node:child_process';
import type { Readable } from 'node:stream';
import { expect } from 'vitest';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** tsx and the CLI's entry by absolute location, so a command may run in any folder. */
const TSX = import.meta.resolve('tsx');
const CLI_MAIN = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');
const SERVER_MAIN = path.join(REPO_ROOT, 'src', 'main.ts');

/** What a CLI run printed and its exit status. */
export interface CliResult {
  /** The exit status (1 when the process was killed by a signal). */
  code: number;
  stdout: string;
  stderr: string;
}

/** A CLI process still running: its handle, and its result once it has exited. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when it has exited, with the signal that ended it (null when it exited itself). */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/**
 * Starts `scamnet …args` as `scamnet` does, without waiting for it: for tests that read its
 * output as it comes (`child.stdout` is already decoded as UTF-8) or signal it.
 * @throws Error (from `done`) when the process cannot be started.
 */
export function startScamnet(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = REPO_ROOT,
): RunningCli {
  const child = spawn(process.execPath, ['--import', TSX, CLI_MAIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A command that exits before reading all of stdin closes the pipe: its status tells.
  child.stdin.on('error', () => undefined);
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, stdout, stderr }));
  });
  return { child, done };
}

/**
 * Expects `result` to be a command refused for its input: exit status 65 (EX_DATAERR) and `error`
 * (the error code, as a pattern) on stderr.
 */
export function expectDataError(result: CliResult, error: RegExp): void {
  expect(result.code).toBe(65);
  expect(result.stderr).toMatch(error);
}

/**
 * Runs `scamnet …args` with `env` added to the test process's environment and `stdin` on its
 * standard input (then closed), in the folder `cwd` (default the repository root); resolves when
 * it has exited, whatever its status.
 * @throws Error when the process cannot be started.
 */
export async function scamnet(
  args: readonly string[],
  env: Record<string, string> = {},
  stdin = '',
  cwd = REPO_ROOT,
): Promise<CliResult> {
  const { child, done } = startScamnet(args, env, cwd);
  child.stdin.end(stdin);
  const { code, stdout, stderr } = await done;
  return { code, stdout, stderr };
}

/**
 * Starts the server (`src/main.ts`) in a child process on a free loopback port, its environment
 * only PATH and `env` (LOG_LEVEL `info`, so that it says where it listens, unless `env` says
 * otherwise); its output is piped.
 */
export function spawnServer(
  env: Record<string, string>,
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['--import', TSX, SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
