import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

/**
 * One CSV record keyed by the header line, with the file line where the record ended; or a
 * record the parser could not read, with the line and csv-parse's reason.
 */
export type CsvRecord =
  | { line: number; fields: Record<string, string>; error?: undefined }
  | { line: number; error: string; fields?: undefined };

/**
 * Streams a CSV file with a header line (UTF-8, BOM removed, RFC 4180 quoting, records that
 * span lines allowed) as records keyed by column name. Ragged rows are kept: missing columns are
 * absent, extra ones dropped. A quote inside an unquoted field is kept as text (csv-parse
 * `relax_quotes`); a record that still cannot be parsed (a stray quote after a quoted field, …)
 * is yielded as `{ line, error }` and reading goes on, so one bad line never loses the others.
 * @param skipLines data lines after the header to skip (165's second, Chinese header line).
 */
export async function* readCsv(file: string, skipLines = 0): AsyncGenerator<CsvRecord> {
  const skipped: { line: number; error: string }[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // csv-parse reports each problem of a record; one error line per record is enough.
      on_skip: (error: { code?: string; lines?: number; message?: string } | undefined) => {
        const line = error?.lines ?? 0;
        if (skipped.at(-1)?.line === line) return;
        skipped.push({ line, error: `unreadable CSV record (${error?.code ?? 'parse error'})` });
      },
      info: true,
      from: 1 + skipLines,
    }),
  );
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield* skipped.splice(0);
    yield { line: item.info.lines, fields: item.record };
  }
  yield* skipped.splice(0);
}

/** The first line of a text file (BOM removed, trimmed), reading at most its first 4 KiB. */
export async function firstLineOf(file: string): Promise<string> {
  const stream = createReadStream(file, { encoding: 'utf8', start: 0, end: 4095 });
  let head = '';
  for await (const chunk of stream) head += String(chunk);
  return (head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '').trim();
}

/** The trimmed value of column `name` of a CSV record, or undefined when absent or blank. */
export function csvField(fields: Record<string, string>, name: string): string | undefined {
  const value = fields[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Maps each readable CSV record to a row with `toRow` (given the record's fields and file line);
 * an unreadable record, or one for which `toRow` returns a string (the reason), becomes
 * `{ line, error }`, so one bad line never stops the others.
 */
export async function* mapCsvRecords<Row>(
  records: AsyncIterable<CsvRecord>,
  toRow: (fields: Record<string, string>, line: number) => Row | string,
): AsyncGenerator<Row | { line: number; error: string }> {
  for await (const { line, fields, error } of records) {
    if (error !== undefined) {
      yield { line, error };
      continue;
    }
    const result = toRow(fields, line);
    yield typeof result === 'string' ? { line, error: result } : result;
  }
}

/**
 * Streams a plain list of hostnames, one per line (UTF-8, BOM removed, `#` starts a comment), as
 * lower-cased, trimmed entries with their file line; blank lines are skipped. The hosts are not
 * checked: each reader decides what it accepts.
 */
export async function* readHostList(file: string): AsyncGenerator<{ line: number; host: string }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const host = raw
      .replace(/^\uFEFF/, '')
      .replace(/#.*/, '')
      .trim()
      .toLowerCase();
    if (host !== '') yield { line, host };
  }
}

/** The source name a list file's rows get by default: its file name without the extension. */
export function listSourceName(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

/**
 * Guesses a file's format from its first line (see firstLineOf: at most 4 KiB read): the first
 * of `signs` whose test the line passes, else `fallback`.
 */
export async function detectFormat<Format extends string>(
  file: string,
  signs: ReadonlyArray<readonly [Format, (firstLine: string) => boolean]>,
  fallback: Format,
): Promise<Format> {
  const first = await firstLineOf(file);
  return signs.find(([, test]) => test(first))?.[0] ?? fallback;
}

/**
 * How the first line of the 165 hotline's open-data CSVs (data.gov.tw) that both the report and
 * the blocklist importers read is recognised: the weekly fake-investment list (`WEBSITE_NM,…`)
 * and the one-page shop sites with their DNS-suspension dates.
 */
export const TW165_HEADER_SIGNS = {
  investment: (firstLine: string) => firstLine.startsWith('WEBSITE_NM'),
  dnsSuspended: (firstLine: string) => firstLine.includes('一頁式詐騙購物網站'),
} as const;
