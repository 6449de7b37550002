/**
 * The files that keep secrets an operator did not configure (ADMIN_TOKEN_FILE,
 * DECISION_LINK_SECRET_FILE, LOG_SIGNING_KEY_FILE): read with a check of what they hold, written
 * with mode 0600. A file that cannot be read or holds something else stops the start as a
 * configuration problem (exit 78) naming the variable and the fix, never the contents.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/index.js';

/** A secret file and what it must hold. */
export interface SecretFileSpec {
  /** The variable naming the file, e.g. `LOG_SIGNING_KEY_FILE`. */
  readonly variable: string;
  /** Absolute path of the file. */
  readonly file: string;
  /** What it must hold, for the message: "an Ed25519 private key (PKCS#8 PEM or base64 DER)". */
  readonly holds: string;
  /** Whether `value` (the file's contents, trimmed) is such a secret. */
  readonly accepts: (value: string) => boolean;
  /** What removing the file does, for the message: "a new key is generated". */
  readonly onRemove: string;
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'error';
}

/**
 * The secret in `spec.file`, trimmed.
 * @returns undefined when the file does not exist (the caller generates or takes one).
 * @throws ConfigError with one problem naming `spec.variable`, the path and the fix when the file
 *   cannot be read (a folder, no permission) or `spec.accepts` refuses what it holds (also when it
 *   is empty). The message never holds the file's contents.
 */
export function readSecretFile(spec: SecretFileSpec): string | undefined {
  let text: string;
  try {
    text = readFileSync(spec.file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    throw new ConfigError([
      `${spec.variable} (${spec.file}) cannot be read (${code}): make it a file this user can read, or remove it (${spec.onRemove}).`,
    ]);
  }
  const value = text.trim();
  if (!spec.accepts(value)) {
    throw new ConfigError([
      `${spec.variable} (${spec.file}) does not hold ${spec.holds}: restore it from a backup, or remove it (${spec.onRemove}).`,
    ]);
  }
  return value;
}

/**
 * Whether `value` can be a secret of ours kept as text: at least `minLength` characters, no
 * control characters and no U+FFFD (what bytes that are not UTF-8 read as).
 */
export function isTextSecret(value: string, minLength: number): boolean {
  return value.length >= minLength && !/[\p{Cc}\uFFFD]/u.test(value);
}

/**
 * Writes `value` and a newline to `file` (mode 0600, its folder made when missing).
 * @param exclusive fail with EEXIST instead of replacing a file that exists (two processes
 *   generating at once: one wins).
 */
export function writeSecretFile(file: string, value: string, exclusive = false): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, value.endsWith('\n') ? value : `${value}\n`, {
    mode: 0o600,
    flag: exclusive ? 'wx' : 'w',
  });
  chmodSync(file, 0o600);
}
