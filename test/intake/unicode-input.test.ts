import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importRows, prepareReport, readImportFile } from '../../src/intake/index.js';
import { AppError } from '../../src/shared/errors.js';
import { testDialects, useTestApp } from '../harness.js';
import { postReport } from '../factories.js';

/** Code points Unicode marks Default_Ignorable (DerivedCoreProperties.txt), sampled by range. */
const IGNORABLE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f], // combining grapheme joiner
  [0x115f, 0x1160], // Hangul choseong / jungseong fillers
  [0x180b, 0x180f], // Mongolian variation selectors
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff0, 0xfff8],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff], // tag characters and variation selectors supplement
];
const ignorable = fc
  .constantFrom(...IGNORABLE_RANGES)
  .chain(([from, to]) => fc.integer({ min: from, max: to }))
  .map((code) => String.fromCodePoint(code));
/** U+FFF9–U+FFFB (interlinear annotation, Cf) and white space are not visible either. */
const invisible = fc.oneof(ignorable, fc.constantFrom('\uFFF9', '\uFFFA', '\uFFFB', ' ', '\u3000'));

describe('a text of only invisible characters is no report', () => {
  it('prepareReport refuses every such text with no_visible_content', () => {
    // At least one ignorable character that String.prototype.trim keeps (it removes U+FEFF):
    // white space alone is "no text" (url_or_text_required).
    const kept = ignorable.filter((c) => c.trim() !== '');
    fc.assert(
      fc.property(fc.array(invisible, { maxLength: 60 }), kept, (chars, one) => {
        const text = [...chars, one].join('');
        try {
          prepareReport({ text, channel: 'api', source: 'citizen' }, { defaultRegion: 'TW' });
          expect.fail('accepted an invisible text');
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect(error instanceof AppError ? error.code : '').toBe('no_visible_content');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a NUL or a lone surrogate in any field is refused before anything else', () => {
    for (const input of [
      { title: 'a\u0000b', text: '投資群組' },
      { text: '投資群組', subjects: [{ type: 'line_id' as const, value: 'ab\ud800' }] },
    ]) {
      expect(() =>
        prepareReport({ ...input, channel: 'api', source: 'citizen' }, { defaultRegion: 'TW' }),
      ).toThrow(expect.objectContaining({ code: 'invalid_characters' }));
    }
  });

  it('a visible character among invisible ones is a report', () => {
    const prepared = prepareReport(
      { text: '\u200B\u200B投\uFE0F資\u{E0041}', channel: 'api', source: 'citizen' },
      { defaultRegion: 'TW' },
    );
    expect(prepared).toBeDefined();
  });
});

describe.each(testDialects())('text that is not Unicode text, on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  async function reportCount(): Promise<number> {
    const row = await ctx.deps.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it.each([
    ['text', { text: 'fake shop\u0000 buy now' }],
    ['url', { url: 'https://scam-shop.com.tw/\u0000x' }],
    ['text', { text: 'lone high \ud800 surrogate' }],
    ['text', { text: 'lone low \udfff surrogate' }],
    ['contact', { text: '投資群組', contact: 'a\u0000@mail.com', consent: true }],
  ])('refuses %s with invalid_characters, nothing stored: %j', async (field, payload) => {
    const before = await reportCount();
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/reports', payload });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_characters', details: { field } } });
    expect(await reportCount()).toBe(before);
  });

  it.each([
    '/api/v1/lookup?q=a%00b',
    '/api/v1/lookup?url=http%3A%2F%2Fa.com%2F%00',
    '/api/v1/search?q=%00',
  ])('a NUL in a query string is 400 invalid_characters: %s', async (url) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('invalid_characters');
  });

  it('50 zero-width characters make no report and no case', async () => {
    const before = await reportCount();
    const res = await postReport(ctx.app, { text: '\u200B'.repeat(50) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('no_visible_content');
    expect(await reportCount()).toBe(before);
  });

  it('a Cofacts CSV with bad quotes keeps its good rows and names the bad line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-csv-'));
    const file = path.join(dir, 'cofacts.csv');
    writeFileSync(
      file,
      [
        ',id,text,label',
        '0,c1,加LINE領取飆股明牌,10',
        '1,c2,他說 "穩賺" 不賠 "快加入,10',
        '2,c3,"引號 "壞了" 的訊息",10',
        '3,c4,老師帶單保證獲利,10',
        // An unclosed quote swallows the rest of the file: that record is named, not a crash.
        '4,c5,"沒有結尾的引號,10',
        '',
      ].join('\n'),
    );
    const summary = await importRows(ctx.deps, readImportFile(file, 'cofacts'));
    // Stray quotes inside a field are kept as text (csv-parse relax_quotes).
    expect(summary.accepted).toBe(4);
    expect(summary.rejected).toEqual([
      { line: expect.any(Number), message: expect.stringMatching(/CSV_QUOTE_NOT_CLOSED/) },
    ]);
    expect(summary.rejected[0]?.line).toBeGreaterThanOrEqual(6);
  });
});
