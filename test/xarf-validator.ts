import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const XARF_DIR = path.join(import.meta.dirname, 'fixtures', 'third_party', 'xarf', 'schemas', 'v4');

/**
 * Validates a JSON value against the shipped X-ARF v4 master schema (draft 2020-12) with Ajv and
 * ajv-formats, formats asserted (`uri`, `email`, `hostname`, `date-time`, `uuid`). Returns the
 * errors as `path message` strings; `[]` when valid.
 */
export function xarfValidator(): (report: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  ajv.addSchema(load(path.join(XARF_DIR, 'xarf-core.json')));
  for (const file of readdirSync(path.join(XARF_DIR, 'types')).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(load(path.join(XARF_DIR, 'types', file)));
  }
  const validate = ajv.compile(load(path.join(XARF_DIR, 'xarf-v4-master.json')));
  return (report) =>
    validate(report)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
