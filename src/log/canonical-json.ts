/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the byte-exact JSON text that the Merkle log hashes.
 *
 * - Object members sorted by their names compared as arrays of UTF-16 code units (RFC 8785
 *   §3.2.3), which is what JavaScript's `<` on strings does.
 * - Numbers written as ECMAScript `Number.prototype.toString` (§3.2.2.3): `-0` becomes `0`;
 *   `NaN` and `±Infinity` are rejected.
 * - Strings written as ECMAScript `JSON.stringify` does (§3.2.2.2); lone surrogates are rejected.
 * - No whitespace.
 *
 * Input is the JSON data model as `JSON.stringify` sees it: `toJSON()` is honoured, object members
 * whose value is `undefined` are left out, `undefined` in an array is written `null`. Anything
 * else that JSON cannot express (bigint, symbol, function) is rejected.
 */

/** Thrown when a value cannot be canonicalised (RFC 8785 requires an error). */
export class CanonicalJsonError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serialiseString(value: string, where: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new CanonicalJsonError(`lone surrogate in a string at ${where} (RFC 8785 §3.2.2.2)`);
  }
  return JSON.stringify(value);
}

function hasToJson(value: object): value is { toJSON: (key: string) => unknown } {
  return 'toJSON' in value && typeof value.toJSON === 'function';
}

function serialise(value: unknown, where: string, key: string, depth: number): string {
  if (depth > 1000) throw new CanonicalJsonError(`nesting deeper than 1000 at ${where}`);
  let current = value;
  if (current !== null && typeof current === 'object' && hasToJson(current)) {
    current = current.toJSON(key);
  }
  if (current === null) return 'null';
  switch (typeof current) {
    case 'boolean':
      return current ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(current)) {
        throw new CanonicalJsonError(`${String(current)} at ${where} has no JSON form`);
      }
      // Number.prototype.toString is the RFC 8785 number form; it writes -0 as "0".
      return String(current);
    case 'string':
      return serialiseString(current, where);
    case 'object': {
      if (Array.isArray(current)) {
        const items: string[] = [];
        current.forEach((item: unknown, index) => {
          items.push(
            item === undefined
              ? 'null'
              : serialise(item, `${where}[${index}]`, String(index), depth + 1),
          );
        });
        return `[${items.join(',')}]`;
      }
      const members = Object.entries(current)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${members
        .map(
          ([k, v]) => `${serialiseString(k, where)}:${serialise(v, `${where}.${k}`, k, depth + 1)}`,
        )
        .join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`a ${typeof current} at ${where} has no JSON form`);
  }
}

/**
 * The RFC 8785 (JCS) canonical JSON text of `value`, so equal data serialise to equal bytes.
 * @param value JSON data: null, boolean, finite number, string, array, plain object (or a value
 *   with `toJSON`). A top-level `undefined` is written `null`.
 * @throws CanonicalJsonError for NaN/Infinity, lone surrogates, bigint, symbol, function, or
 *   nesting deeper than 1,000 levels.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  return serialise(value, '$', '', 0);
}
