import path from 'node:path';

/** Why a variable's text was refused: a phrase that follows the variable's name ("must be …"). */
export class Invalid {
  constructor(readonly reason: string) {}
}

/** What a parser may use besides the text: the folder relative paths are resolved against. */
export interface ParseContext {
  readonly cwd: string;
}

/** One environment variable of the table: its default, what it means, how its text is read. */
export interface Variable<T> {
  /**
   * The text an unset or empty variable stands for, exactly as `.env.example` shows it after
   * `NAME=`; `''` when unset means "none" or a value derived from other variables.
   */
  readonly default: string;
  /** One sentence for people: what the variable sets, units and range. */
  readonly description: string;
  /** A secret (token, key, password in a URL): its text never appears in a problem. */
  readonly secret?: boolean;
  /** Trimmed text (the default when unset or empty) → value, or Invalid. */
  readonly parse: (text: string, context: ParseContext) => T | Invalid;
}

/** The value type a Variable parses to. */
export type ValueOf<V> = V extends Variable<infer T> ? T : never;

/** The parsed values of a table of variables, by name. */
export type Values<T> = { readonly [K in keyof T]: ValueOf<T[K]> };

interface Described<D> {
  readonly default: D;
  readonly description: string;
}

const QUOTED_MAX = 60;

function quoted(text: string): string {
  return JSON.stringify(text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX)}…` : text);
}

/**
 * Reads every variable of `table` from `env` once: unset or empty (after trimming) means the
 * variable's default. An invalid variable appends `NAME must … (got "text")` to `problems` (the
 * text left out for secrets) and takes its default's value, so that every problem is found.
 * @returns the values by name.
 */
export function parseVariables<T extends Readonly<Record<string, Variable<unknown>>>>(
  table: T,
  env: NodeJS.ProcessEnv,
  context: ParseContext,
  problems: string[],
): Values<T> {
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(table)) {
    const given = env[name]?.trim() ?? '';
    const parsed = variable.parse(given === '' ? variable.default : given, context);
    if (parsed instanceof Invalid) {
      const got = variable.secret === true ? '' : ` (got ${quoted(given)})`;
      problems.push(`${name} ${parsed.reason}${got}`);
      values[name] = variable.parse(variable.default, context);
    } else {
      values[name] = parsed;
    }
  }
  // Object.entries loses the link between a name and its variable's value type; the loop above
  // set each name of the table to what that variable's parse returned.
  return values as Values<T>;
}

/** A whole number from `min` to `max` (both included). */
export function int(options: Described<number> & { min: number; max: number }): Variable<number> {
  const { min, max } = options;
  return {
    default: String(options.default),
    description: options.description,
    parse: (text) => {
      const n = Number(text);
      return Number.isInteger(n) && n >= min && n <= max
        ? n
        : new Invalid(`must be an integer from ${min} to ${max}`);
    },
  };
}

/** `true`, `1`, `yes`, `on` or `false`, `0`, `no`, `off` (any case). */
export function bool(options: Described<boolean>): Variable<boolean> {
  return {
    default: String(options.default),
    description: options.description,
    parse: (text) => {
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      return new Invalid('must be true or false');
    },
  };
}

/** Free text. */
export function text(options: Described<string>): Variable<string> {
  return { ...options, parse: (value) => value };
}

/** A file or folder; a relative one is resolved against the working folder. */
export function filePath(options: Described<string>): Variable<string> {
  return { ...options, parse: (value, { cwd }) => path.resolve(cwd, value) };
}

/** One of `choices`, compared in lower case. */
export function oneOf<const C extends string>(
  choices: readonly C[],
  options: Described<C>,
): Variable<C> {
  return {
    ...options,
    parse: (value) =>
      choices.find((choice) => choice === value.toLowerCase()) ??
      new Invalid(`must be one of ${choices.join(', ')}`),
  };
}

/** Unset → `undefined`; set → what `parse` makes of it. */
export function optional<T>(
  options: { description: string; secret?: boolean },
  parse: (text: string) => T | Invalid,
): Variable<T | undefined> {
  return { default: '', ...options, parse: (value) => (value === '' ? undefined : parse(value)) };
}

/**
 * A comma list; empty items are skipped. `item` parses one item; the first bad item is the
 * problem. With `nonEmpty`, an empty list is refused.
 */
export function list<T>(
  options: Described<string> & { nonEmpty?: boolean },
  item: (text: string) => T | Invalid,
): Variable<readonly T[]> {
  return {
    default: options.default,
    description: options.description,
    parse: (value) => {
      const items: T[] = [];
      for (const part of value.split(',').map((p) => p.trim())) {
        if (part === '') continue;
        const parsed = item(part);
        if (parsed instanceof Invalid)
          return new Invalid(`has ${quoted(part)}, which ${parsed.reason}`);
        items.push(parsed);
      }
      if (options.nonEmpty === true && items.length === 0) return new Invalid('must not be empty');
      return items;
    },
  };
}
