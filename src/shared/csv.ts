import { stringify } from 'csv-stringify/sync';

/** One CSV cell: text, a number (written as is, never formula-escaped), or null (empty). */
export type CsvCell = string | number | null;

/** How writeCsv writes. */
export interface CsvOptions {
  /**
   * Start with a UTF-8 byte order mark (U+FEFF), so Excel opens the file as UTF-8 instead of the
   * system code page (default false: RFC 4180 readers and most tools do not want it).
   */
  readonly bom?: boolean | undefined;
  /** Record separator: `\r\n` (RFC 4180 §2, the default) or `\n` (MISP's hashes.csv). */
  readonly recordDelimiter?: '\r\n' | '\n' | undefined;
}

/**
 * Writes `rows` (the header line first, if any) as one CSV text with csv-stringify, the only CSV
 * writer of the project: RFC 4180 (comma separator, a cell quoted when it holds a comma, a
 * double quote or a line break, quotes doubled, every record ended by CRLF by default).
 * Formula injection is defused (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return (or their full-width forms) is prefixed with `'`, so no
 * spreadsheet runs it; numbers (e.g. `-1`) are written as they are.
 */
export function writeCsv(rows: ReadonlyArray<ReadonlyArray<CsvCell>>, options: CsvOptions = {}) {
  return stringify(
    rows.map((row) => [...row]),
    {
      bom: options.bom ?? false,
      escape_formulas: true,
      record_delimiter: options.recordDelimiter === '\n' ? 'unix' : 'windows',
      // csv-stringify quotes a lone `\n` or `\r` only when told to once record_delimiter is set.
      quote_record_delimiter: true,
      cast: { number: (value) => String(value) },
    },
  );
}
