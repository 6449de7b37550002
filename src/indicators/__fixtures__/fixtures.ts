import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (this file is src/indicators/__fixtures__/fixtures.ts). */
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..');

/** `../shared/data` beside the clone (CI lays shared/ there). */
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');

/**
 * Reads a vector file by its path under shared/data (e.g. `psl/tests.txt`): the copy in this
 * folder first, `../shared/data` when there is no copy. Throws when neither exists.
 */
export function readVectorFile(relativePath: string): string {
  const copy = path.join(HERE, relativePath);
  return readFileSync(existsSync(copy) ? copy : path.join(SHARED_DATA, relativePath), 'utf8');
}

/** Reads a JSON Lines vector file into objects (blank lines skipped). */
export function readJsonLines(relativePath: string): Record<string, unknown>[] {
  return readVectorFile(relativePath)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): Record<string, unknown> => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error(`not a JSON object: ${line}`);
      }
      return Object.fromEntries(Object.entries(value));
    });
}

/** The copy of `relativePath` here and its original in shared/data, when both exist. */
export function copyAndOriginal(relativePath: string): { copy: string; original: string } | null {
  const copy = path.join(HERE, relativePath);
  const original = path.join(SHARED_DATA, relativePath);
  if (!existsSync(copy) || !existsSync(original)) return null;
  return { copy: readFileSync(copy, 'utf8'), original: readFileSync(original, 'utf8') };
}
