import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeCsv } from './csv.js';

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describe('writeCsv (csv-stringify, RFC 4180, formula injection defused)', () => {
  it('quotes commas, quotes and line breaks; CRLF after every record', () => {
    expect(writeCsv([['a,b', 'say "hi"', 'x\ny', 'plain']])).toBe(
      '"a,b","say ""hi""","x\ny",plain\r\n',
    );
  });

  it('prefixes formula cells with a quote, but not numbers', () => {
    expect(
      writeCsv([['=HYPERLINK("http://x")', '@SUM(A1)', '+1', '-1', -1, 0, null, '\tx', '＝1']]),
    ).toBe(`"'=HYPERLINK(""http://x"")",'@SUM(A1),'+1,'-1,-1,0,,'\tx,'＝1\r\n`);
  });

  it('writes a UTF-8 byte order mark on request, and LF records for MISP hashes', () => {
    expect(writeCsv([['詐騙']], { bom: true })).toBe('\uFEFF詐騙\r\n');
    expect(writeCsv([['a', 'b']], { recordDelimiter: '\n' })).toBe('a,b\n');
    expect(writeCsv([])).toBe('');
  });

  it('csv-parse reads back every cell (formula cells with the added quote)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.integer()), {
            minLength: 1,
            maxLength: 5,
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (rows) => {
          const text = writeCsv(rows);
          const back: string[][] = parse(text, { relax_column_count: true });
          expect(back).toEqual(
            rows.map((row) =>
              row.map((cell) =>
                typeof cell === 'number'
                  ? String(cell)
                  : FORMULA_START.test(cell)
                    ? `'${cell}`
                    : cell,
              ),
            ),
          );
        },
      ),
    );
  });
});
