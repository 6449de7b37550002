import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './__fixtures__/fixtures.js';
import { extractIndicators } from './extract.js';
import {
  findPersonalData,
  isTaiwanIdNumber,
  redactPersonalData,
  selfDisclosedIndicators,
} from './personal-data.js';

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
const CODES = [
  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
  34, 35,
];

/** Completes letter + second character + 7 digits with the check digit (内政部 rule, written independently). */
function withCheckDigit(letter: string, second: string, seven: string): string {
  const code = CODES[LETTERS.indexOf(letter)] ?? 10;
  const secondDigit = /\d/.test(second)
    ? Number(second)
    : (CODES[LETTERS.indexOf(second)] ?? 0) % 10;
  const digits = [secondDigit, ...[...seven].map(Number)];
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  [8, 7, 6, 5, 4, 3, 2, 1].forEach((w, i) => (sum += (digits[i] ?? 0) * w));
  return `${letter}${second}${seven}${(10 - (sum % 10)) % 10}`;
}

describe('isTaiwanIdNumber', () => {
  it('checks the check digit of national IDs and both resident-number formats', () => {
    expect(isTaiwanIdNumber('A123456789')).toBe(true);
    expect(isTaiwanIdNumber('a123456789')).toBe(true);
    expect(isTaiwanIdNumber('Ａ１２３４５６７８９')).toBe(true);
    expect(isTaiwanIdNumber('A123456788')).toBe(false);
    expect(isTaiwanIdNumber('A323456789')).toBe(false);
    expect(isTaiwanIdNumber(withCheckDigit('F', '8', '0012345'))).toBe(true); // 2021 新式統一證號
    expect(isTaiwanIdNumber(withCheckDigit('A', 'C', '0123456'))).toBe(true); // 舊式居留證號
    expect(isTaiwanIdNumber('A1234567890')).toBe(false);
  });

  it('accepts every number built with the right check digit and rejects every other digit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LETTERS),
        fc.constantFrom('1', '2', '8', '9', 'A', 'B', 'C', 'D'),
        fc.stringMatching(/^\d{7}$/),
        fc.integer({ min: 1, max: 9 }),
        (letter, second, seven, shift) => {
          const id = withCheckDigit(letter, second, seven);
          expect(isTaiwanIdNumber(id)).toBe(true);
          const wrong = `${id.slice(0, 9)}${(Number(id.slice(9)) + shift) % 10}`;
          expect(isTaiwanIdNumber(wrong)).toBe(false);
        },
      ),
    );
  });
});

describe('redactPersonalData', () => {
  it.each<[string, string]>([
    [
      '我叫王小明，身分證A123456789，電話0912-345-678，被騙了5萬元',
      '我叫〔姓名〕，身分證〔身分證號〕，電話〔電話〕，被騙了〔金額〕',
    ],
    [
      '您好我是陳大文 居留證號 F800123456 手機 +886 912 345 678 email: chen.dawen@example.com',
      '您好我是〔姓名〕 居留證號 〔身分證號〕 手機 〔電話〕 email: 〔電子郵件〕',
    ],
    [
      // Cofacts-shaped complaint with a home address and landlines (fake values).
      '本來住板橋仁愛路65號3樓\n現在住中和區中山路二段259號3樓\n82451234.     82459876',
      '〔地址〕\n〔地址〕\n〔號碼〕.     〔號碼〕',
    ],
    [
      '我匯了 NT$30,000 到中國信託 822 帳號 1234-5678-9012，戶名：林美玲',
      '我匯了 〔金額〕 到中國信託 〔帳號〕，戶名：〔姓名〕',
    ],
    ['卡號 4111 1111 1111 1111 被盜刷三千元', '卡號 〔號碼〕 被盜刷〔金額〕'],
  ])('%s', (text, expected) => {
    expect(redactPersonalData(text)).toBe(expected);
  });

  it('keeps the scam content: its URLs, LINE IDs, public figures and advertised sums', () => {
    const ad =
      '謝金河親自帶你投資飆股！月入十萬，加LINE：@stock888 https://www.facebook.com/ads/library/?id=987654321';
    expect(redactPersonalData(ad)).toBe(ad);
    const parcel =
      '【中華郵政】您的包裹地址不全，請於24小時內更新 https://post-tw.example/track?id=12345678';
    expect(redactPersonalData(parcel)).toBe(parcel);
  });

  it('finds spans in the input as written: full-width forms and invisible characters', () => {
    const text = '身分證Ａ１２３４５６７８９，電話０９１２\u200b３４５６７８';
    const spans = findPersonalData(text);
    expect(spans.map((s) => [s.kind, text.slice(s.start, s.end)])).toEqual([
      ['national_id', 'Ａ１２３４５６７８９'],
      ['phone', '０９１２\u200b３４５６７８'],
    ]);
  });

  it('leaves no ID number, e-mail or phone in any real Cofacts message; never throws; idempotent', () => {
    const rows: unknown = parse(readFileSync(path.join(REPO_ROOT, 'data/demo/cofacts-dev.csv')), {
      columns: true,
      bom: true,
    });
    const texts = Array.isArray(rows)
      ? rows.flatMap((r: unknown) =>
          typeof r === 'object' && r !== null && 'text' in r && typeof r.text === 'string'
            ? [r.text]
            : [],
        )
      : [];
    expect(texts.length).toBeGreaterThan(1000);
    let changed = 0;
    for (const text of texts) {
      const redacted = redactPersonalData(text);
      if (redacted !== text) changed += 1;
      const left = extractIndicators(redacted).filter(
        (i) => i.type === 'phone' || i.type === 'email' || i.type === 'bank_account',
      );
      expect(left, redacted).toEqual([]);
      expect(redacted).not.toMatch(/(?<![A-Za-z0-9])[A-Za-z][1289A-Da-d]\d{8}(?!\d)/);
      expect(redactPersonalData(redacted)).toBe(redacted);
    }
    expect(changed).toBeGreaterThan(20);
  });

  it('never throws and finds an inserted ID number, e-mail or mobile number wherever it is put', () => {
    const pii = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...LETTERS),
          fc.constantFrom('1', '2', '8', '9'),
          fc.stringMatching(/^\d{7}$/),
        )
        .map(([l, s, d]) => withCheckDigit(l, s, d)),
      fc.stringMatching(/^09\d{2}-\d{3}-\d{3}$/),
      fc.stringMatching(/^[a-z]{3,8}@[a-z]{3,8}\.com$/),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), pii, fc.string({ maxLength: 40 }), (a, p, b) => {
        const text = `${a}，${p}，${b}`;
        expect(redactPersonalData(text)).not.toContain(p);
      }),
      { numRuns: 500 },
    );
  });
});

describe('redaction on hostile text of the largest allowed size (20,000 characters)', () => {
  // Runs that made the amount and e-mail patterns backtrack once per position (quadratic: 8 s for
  // the first one) finish in one bounded try per run now.
  it.each([
    ['digits after a loss word', `被騙${'1'.repeat(19_998)}`],
    ['Chinese numerals after a loss word', `被騙${'一'.repeat(19_998)}`],
    ['a letter run with no @', 'a'.repeat(20_000)],
    ['dotted digits after a loss word', `被騙${'1.'.repeat(9_999)}`],
    ['local parts and @ without a domain', `${'a'.repeat(60)}@`.repeat(320)],
  ])('%s: answers, and masks what it finds', (_name, text) => {
    const redacted = redactPersonalData(text);
    expect(typeof redacted).toBe('string');
    expect(redactPersonalData(`${text} 信箱 ming@gmail.com`)).not.toContain('ming@gmail.com');
  });
});

describe('selfDisclosedIndicators', () => {
  it("gives the reporter's own details, not the scam's", () => {
    const values = (text: string) =>
      selfDisclosedIndicators(text).map((i) => `${i.type}:${i.value}`);
    expect(values('我叫王小明，身分證A123456789，電話0912-345-678，被騙了5萬元')).toEqual([
      'phone:+886912345678',
    ]);
    expect(
      values('對方LINE: scam_agent88，電話0922-111-333。我的手機 0912-345-678 請聯絡我'),
    ).toEqual(['phone:+886912345678']);
    // Cofacts 17038's shape: a scam number passed on, nobody introduced.
    expect(values('0902457247這是詐騙集團的不要受騙，她還叫我姑姑喔')).toEqual([]);
    expect(values('加LINE：@stock888 領取飆股名單')).toEqual([]);
  });
});
