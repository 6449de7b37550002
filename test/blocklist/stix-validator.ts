import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SCRIPT = path.join(import.meta.dirname, 'stix-validate.py');
const PYTHONPATH = path.join(
  import.meta.dirname,
  '..',
  'fixtures',
  'third_party',
  'stix',
  'pattern-validator',
);
const ENV = { ...process.env, PYTHONPATH, PYTHONDONTWRITEBYTECODE: '1' };

/** What stix-validate.py found in a bundle: error messages and how much it checked. */
export interface StixValidation {
  errors: string[];
  objects: number;
  patterns: number;
  observables: number;
}

/**
 * Whether Python 3 with `jsonschema` and `antlr4-python3-runtime` (the OASIS validators' needs)
 * is installed. When not: with REQUIRE_STIX_VALIDATORS=1 this throws (CI must have them),
 * otherwise it prints why `suite` is skipped and returns false.
 */
export function haveStixValidators(suite: string): boolean {
  const probe = spawnSync('python3', ['-c', 'import jsonschema, referencing, antlr4'], {
    env: ENV,
    encoding: 'utf8',
  });
  if (probe.status === 0) return true;
  const why = `${suite}: Python 3 with jsonschema and antlr4-python3-runtime 4.13 not available (${probe.error?.message ?? probe.stderr.trim()})`;
  if (process.env.REQUIRE_STIX_VALIDATORS === '1') {
    throw new Error(`${why}, and REQUIRE_STIX_VALIDATORS=1`);
  }
  process.stderr.write(`skipping ${why}\n`);
  return false;
}

/**
 * Validates a STIX bundle (JSON text) with the official OASIS STIX 2.1 JSON schemas and pattern
 * validator (test/fixtures/third_party/stix), through test/blocklist/stix-validate.py.
 * @throws Error when the script fails (not when the bundle is invalid: see `errors`).
 */
export function validateStixBundle(bundle: string): StixValidation {
  const run = spawnSync('python3', [SCRIPT], { input: bundle, env: ENV, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`stix-validate.py failed: ${run.stderr}`);
  const result: unknown = JSON.parse(run.stdout);
  if (
    typeof result !== 'object' ||
    result === null ||
    !('errors' in result) ||
    !Array.isArray(result.errors) ||
    !('objects' in result) ||
    !('patterns' in result) ||
    !('observables' in result)
  ) {
    throw new Error(`stix-validate.py printed ${run.stdout}`);
  }
  return {
    errors: result.errors.map(String),
    objects: Number(result.objects),
    patterns: Number(result.patterns),
    observables: Number(result.observables),
  };
}
