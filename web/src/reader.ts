import { isObject, unexpected, type Json } from './http';

/** Type guard: is `value` one of `values`? */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/**
 * Reads a JSON object from the API field by field, checking each type. A missing or mistyped
 * required field throws ApiError `unexpected_response` naming it, so a page shows a clear error
 * instead of rendering `undefined`.
 */
export class Reader {
  readonly #value: Json;
  readonly #what: string;

  constructor(value: unknown, what: string) {
    if (!isObject(value)) throw unexpected(what);
    this.#value = value;
    this.#what = what;
  }

  #fail(key: string): never {
    throw unexpected(`${this.#what}.${key}`);
  }

  raw(key: string): unknown {
    return this.#value[key];
  }

  /** The field when `is` accepts it; anything else fails. */
  #typed<T>(key: string, is: (value: unknown) => value is T): T {
    const value = this.#value[key];
    return is(value) ? value : this.#fail(key);
  }

  /** As #typed, or null when the field is null or absent. */
  #nullable<T>(key: string, is: (value: unknown) => value is T): T | null {
    const value = this.#value[key];
    return value === null || value === undefined ? null : this.#typed(key, is);
  }

  str(key: string): string {
    return this.#typed(key, isString);
  }

  /** A string, or null when the field is null or absent. */
  nstr(key: string): string | null {
    return this.#nullable(key, isString);
  }

  num(key: string): number {
    return this.#typed(key, isNumber);
  }

  nnum(key: string): number | null {
    return this.#nullable(key, isNumber);
  }

  bool(key: string): boolean {
    return this.#typed(key, isBoolean);
  }

  /** An array of strings (absent → empty). */
  strs(key: string): string[] {
    const value = this.#value[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.#fail(key);
    return value.filter((item): item is string => typeof item === 'string');
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const value = this.#value[key];
    return isOneOf(values, value) ? value : this.#fail(key);
  }

  /** One of `values`, or `otherwise` for anything else (absent, or a value this build does not know). */
  oneOfOr<T extends string, D>(key: string, values: readonly T[], otherwise: D): T | D {
    const value = this.#value[key];
    return isOneOf(values, value) ? value : otherwise;
  }

  obj(key: string): Reader {
    return new Reader(this.#value[key], `${this.#what}.${key}`);
  }

  nobj(key: string): Reader | null {
    const value = this.#value[key];
    return value === null || value === undefined ? null : this.obj(key);
  }

  list<T>(key: string, item: (reader: Reader) => T): T[] {
    const value = this.#value[key];
    if (!Array.isArray(value)) this.#fail(key);
    return value.map((entry, index) => item(new Reader(entry, `${this.#what}.${key}[${index}]`)));
  }

  /** Any JSON object field as a plain record (absent → empty). */
  record(key: string): Json {
    const value = this.#value[key];
    return isObject(value) ? value : {};
  }
}
