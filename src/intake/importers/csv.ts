import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/** One CSV record keyed by the header line, with the file line where the record started. */
export interface CsvRecord {
  line: number;
  fields: Record<string, string>;
}

/**
 * Streams a CSV file with a header line (UTF-8, BOM removed, RFC 4180 quoting, records that
 * span lines allowed) as records keyed by column name. Ragged rows are kept: missing columns are
 * absent, extra ones dropped.
 * @param skipLines data lines after the header to skip (165's second, Chinese header line).
 */
export async function* readCsv(file: string, skipLines = 0): AsyncGenerator<CsvRecord> {
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      from: 1 + skipLines,
    }),
  );
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { line: item.info.lines, fields: item.record };
  }
}

/** The first line of a text file (BOM removed, trimmed), reading at most its first 4 KiB. */
export async function firstLineOf(file: string): Promise<string> {
  const stream = createReadStream(file, { encoding: 'utf8', start: 0, end: 4095 });
  let head = '';
  for await (const chunk of stream) head += String(chunk);
  return (head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '').trim();
}
