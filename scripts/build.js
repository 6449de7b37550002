#!/usr/bin/env node
// Builds the parts of scamnet whose sources changed since their last build: the server
// (`tsc -p tsconfig.build.json` → dist/) and the web UI (`vite build` → web/dist/).
//
//   node scripts/build.js [server] [web] [--force]
//
// Each part's inputs (its source files, tsconfig and package-lock.json) are hashed by content;
// the hash of the last successful build is kept in node_modules/.cache/scamnet/build.json, so a
// fresh `npm ci` builds everything once. A part is built when its hash differs, its output is
// missing, or with --force (which also empties dist/ first). `npm start` runs this before the
// server; the end-to-end tests run it for the web UI (test/e2e/global-setup.ts).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const STAMP_FILE = path.join(ROOT, 'node_modules', '.cache', 'scamnet', 'build.json');

/**
 * What each part reads, what it writes and the command that builds it. `inputs` are files or
 * folders (relative to the root); files for which `ignore(relativePath)` holds are not read.
 */
export const PARTS = {
  server: {
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    ignore: (file) => file.endsWith('.test.ts') || file.includes('__fixtures__'),
    output: 'dist/main.js',
    label: 'tsc -p tsconfig.build.json',
    command: ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
  },
  web: {
    inputs: ['web', 'package-lock.json'],
    ignore: (file) => file.startsWith(`web${path.sep}dist${path.sep}`),
    output: 'web/dist/index.html',
    label: 'vite build',
    command: ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'],
  },
};

/** The files below `input` (a file or folder relative to the root), relative and sorted. */
function filesOf(input) {
  const absolute = path.join(ROOT, input);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [input];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * SHA-256 (hex) over the paths and contents of `part`'s input files.
 * @param {keyof typeof PARTS} part
 */
export function inputsHash(part) {
  const { inputs, ignore } = PARTS[part];
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesOf)) {
    if (ignore(file)) continue;
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readStamps() {
  try {
    const stamps = JSON.parse(readFileSync(STAMP_FILE, 'utf8'));
    return typeof stamps === 'object' && stamps !== null ? stamps : {};
  } catch {
    return {};
  }
}

/**
 * Whether `part`'s output exists and was built from its current inputs.
 * @param {keyof typeof PARTS} part
 */
export function isBuilt(part) {
  return existsSync(path.join(ROOT, PARTS[part].output)) && readStamps()[part] === inputsHash(part);
}

/**
 * Builds `part` unless it is up to date (or always, with `force`); prints what it did on stderr.
 * @param {keyof typeof PARTS} part
 * @param {{ force?: boolean }} options
 * @returns {boolean} false when the build command failed
 */
export function buildPart(part, { force = false } = {}) {
  const hash = inputsHash(part);
  const { output, label, command } = PARTS[part];
  if (!force && existsSync(path.join(ROOT, output)) && readStamps()[part] === hash) {
    process.stderr.write(`build: ${part} is up to date\n`);
    return true;
  }
  if (force && part === 'server') rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  process.stderr.write(`build: ${part}: ${label}\n`);
  const started = Date.now();
  // Vite makes React's development build when NODE_ENV says so (Vitest sets it to "test").
  const result = spawnSync(process.execPath, command, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) return false;
  mkdirSync(path.dirname(STAMP_FILE), { recursive: true });
  writeFileSync(STAMP_FILE, `${JSON.stringify({ ...readStamps(), [part]: hash })}\n`);
  process.stderr.write(`build: ${part} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const named = args.filter((arg) => arg !== '--force');
  const unknown = named.filter((arg) => !(arg in PARTS));
  if (unknown.length > 0) {
    process.stderr.write(`usage: node scripts/build.js [server] [web] [--force]\n`);
    process.exit(64);
  }
  const parts = named.length > 0 ? named : Object.keys(PARTS);
  for (const part of parts) {
    if (!buildPart(part, { force })) process.exit(1);
  }
}
