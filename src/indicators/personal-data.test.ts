import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './__fixtures__/fixtures.js';
import { extractIndicators } from './extract.js';
import {
  analysePersonalData,
  applyRedaction,
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

/** The texts of the real Cofacts messages shipped as demo data. */
function cofactsTexts(): string[] {
  const rows: unknown = parse(readFileSync(path.join(REPO_ROOT, 'data/demo/cofacts-dev.csv')), {
    columns: true,
    bom: true,
  });
  return Array.isArray(rows)
    ? rows.flatMap((r: unknown) =>
        typeof r === 'object' && r !== null && 'text' in r && typeof r.text === 'string'
          ? [r.text]
          : [],
      )
    : [];
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
    const texts = cofactsTexts();
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

describe('the public policy: the victim’s data goes, what the scammer gave stays', () => {
  const pub = (text: string, ownContacts: string[] = []) =>
    redactPersonalData(text, { policy: 'public', ownContacts });

  it.each<[string, string, string]>([
    [
      'a self-introduction: name, ID number and phone; the loss stays',
      '我叫王小明，身分證A123456789，電話0912-345-678，被騙了5萬元',
      '我叫〔姓名〕，身分證〔身分證號〕，電話〔電話〕，被騙了5萬元',
    ],
    [
      'full-width digits and dashes: own mobile, scam hotline',
      '本人手機０９１２－３４５－６７８，客服專線０８００－１２３－４５６',
      '本人手機〔電話〕，客服專線０８００－１２３－４５６',
    ],
    [
      'the scammer’s number right after the victim’s',
      '我的電話是0912 345 678，詐騙電話是0922-111-333',
      '我的電話是〔電話〕，詐騙電話是0922-111-333',
    ],
    [
      'cues after the numbers',
      '0912345678是我的電話，0922111333是詐騙集團的',
      '〔電話〕是我的電話，0922111333是詐騙集團的',
    ],
    [
      'a list after one own cue, spaces inside the numbers',
      '我電話是 0912-345-678、0933 444 555',
      '我電話是 〔電話〕、〔電話〕',
    ],
    [
      'the victim’s frozen account and the account they were told to pay into',
      '我的帳戶 (700)00123456789012 被凍結，對方要我匯款到 (822)123456789012',
      '我的帳戶 〔帳號〕 被凍結，對方要我匯款到 (822)123456789012',
    ],
    [
      'money paid into a mule account: the account stays, the holder’s name goes',
      '我匯了 NT$30,000 到中國信託 822 帳號 1234-5678-9012，戶名：林美玲',
      '我匯了 NT$30,000 到中國信託 822 帳號 1234-5678-9012，戶名：〔姓名〕',
    ],
    [
      'own LINE ID and e-mail; the scammer’s LINE ID',
      '我的LINE ID是 wang_xm123，信箱 ming.wang@gmail.com，騙子的LINE是 scam_boss99',
      '我的LINE ID是 〔LINE ID〕，信箱 〔電子郵件〕，騙子的LINE是 scam_boss99',
    ],
    [
      'English: my number, and the scammer’s called from',
      'My number is 0912 345 678 and the scammer called from +886 922 111 333',
      'My number is 〔電話〕 and the scammer called from +886 922 111 333',
    ],
    [
      'English: call me at, and contact us at',
      'Hi, call me at 0912-345-678. Contact us at 0800-000-123 to claim your prize',
      'Hi, call me at 〔電話〕. Contact us at 0800-000-123 to claim your prize',
    ],
    [
      // Cofacts 22360's shape (fake values): a person's addresses, landlines and mobile.
      'a writer who gives their address: their numbers without cues are theirs',
      '本來是板橋仁愛路65號3樓搬家\n我現在沒有工作\n82451234.     82459876\n0989123456',
      '〔地址〕搬家\n我現在沒有工作\n〔號碼〕.     〔號碼〕\n〔電話〕',
    ],
    [
      // Cofacts 17038's shape: a scam number passed on, nobody introduced.
      'a scam number passed on',
      '0902457247這是詐騙集團的不要受騙，她還叫我姑姑喔',
      '0902457247這是詐騙集團的不要受騙，她還叫我姑姑喔',
    ],
    ['a card number', '卡號 4111 1111 1111 1111 被盜刷三千元', '卡號 〔號碼〕 被盜刷三千元'],
  ])('%s', (_name, text, expected) => {
    expect(pub(text)).toBe(expected);
    expect(pub(expected)).toBe(expected);
  });

  it('keeps scam messages as they are: their phones, LINE IDs, links and advertised sums', () => {
    for (const ad of [
      '【中華郵政】您的包裹地址不全，請撥打 02-2345-6789 或加LINE：@post888',
      '謝金河親自帶你投資飆股！月入十萬，加LINE：@stock888 https://www.facebook.com/ads/library/?id=987654321',
      '恭喜中獎！請撥 0987-654-321 領取獎金，逾期作廢',
      'Your parcel is on hold. Call now 0800 123 456 or visit https://tw-post.example.com/pay',
    ]) {
      expect(pub(ad)).toBe(ad);
    }
  });

  it('redacts ID numbers by their check digit, or when they are given as IDs', () => {
    const newResident = withCheckDigit('F', '8', '0012345');
    const oldResident = withCheckDigit('A', 'C', '0123456');
    expect(pub(`包裹編號 ${newResident} 已到`)).toBe('包裹編號 〔身分證號〕 已到');
    expect(pub(`單號 ${oldResident}`)).toBe('單號 〔身分證號〕');
    // A wrong check digit in an order number is not an ID number…
    expect(pub('訂單編號 A123456788 已出貨')).toBe('訂單編號 A123456788 已出貨');
    // …but a mistyped ID number is still somebody's.
    expect(pub('我的身分證字號 A123456788 被冒用')).toBe('我的身分證字號 〔身分證號〕 被冒用');
    expect(pub('ID: AC01234560')).toBe('ID: 〔身分證號〕');
    expect(pub('加LINE，LINE ID: A123456788')).toBe('加LINE，LINE ID: A123456788');
  });

  it('keeps what only looks personal: a LINE ID shaped like an ID, a shop’s address, form fields', () => {
    // Real 165 LINE IDs of this shape; this one's check digit happens to hold.
    expect(pub('LINE ID v120101445')).toBe('LINE ID v120101445');
    expect(pub('地點：台北市復興南路二段268號5樓之3，電話 02-2345-6789')).toBe(
      '地點：台北市復興南路二段268號5樓之3，電話 02-2345-6789',
    );
    expect(pub('只要姓名和電郵就可以了，申請人應具備下列條件')).toBe(
      '只要姓名和電郵就可以了，申請人應具備下列條件',
    );
    expect(pub('我住在台北市復興南路二段268號5樓，電話 02-2345-6789')).toBe(
      '〔地址〕，電話 〔電話〕',
    );
  });

  it('redacts the reporter’s follow-up contact wherever the text gives it, whatever the cue', () => {
    expect(pub('有人冒用我的名義，請回電 0911-222-333', ['+886911222333'])).toBe(
      '有人冒用我的名義，請回電 〔電話〕',
    );
    expect(pub('寄到 Ming.Wang@Example.com 或 0911222333', ['ming.wang@example.com'])).toBe(
      '寄到 〔電子郵件〕 或 0911222333',
    );
    expect(pub('客服 886911222333 找我', ['0911-222-333'])).toBe('客服 〔電話〕 找我');
    expect(pub('進度查詢 https://x.com.tw/q?tel=0911222333', ['+886911222333'])).toBe(
      '進度查詢 〔網址〕',
    );
  });

  it('tells which indicators are personal: none of a scammer’s, every mention of the victim’s', () => {
    const text = '我的電話0912345678。對方電話0922111333，再說一次我的是0912345678';
    const analysis = analysePersonalData(text);
    expect(analysis.indicators.map((i) => [i.indicator.value, i.personal])).toEqual([
      ['+886912345678', true],
      ['+886922111333', false],
    ]);
    expect(applyRedaction(text, analysis.spans)).toBe(
      '我的電話〔電話〕。對方電話0922111333，再說一次我的是〔電話〕',
    );
    // Named once as the scammer's, it stays public: warning others is the point.
    const both = analysePersonalData('我的電話0922111333被盜用了，詐騙電話0922111333');
    expect(both.indicators.map((i) => i.personal)).toEqual([false]);
  });

  it('leaves no valid ID number in any real Cofacts message; keeps scam numbers; idempotent', () => {
    let changed = 0;
    let kept = 0;
    for (const text of cofactsTexts()) {
      const redacted = pub(text);
      if (redacted !== text) changed += 1;
      for (const match of redacted.matchAll(/(?<![A-Za-z0-9])[A-Za-z][1289A-Da-d]\d{8}(?!\d)/g)) {
        expect(isTaiwanIdNumber(match[0]), redacted).toBe(false);
      }
      kept += extractIndicators(redacted).filter((i) => i.type === 'phone').length;
      expect(pub(redacted)).toBe(redacted);
    }
    expect(changed).toBeGreaterThan(5);
    expect(kept).toBeGreaterThan(10);
  });

  it('never throws and hides an own-cued number, keeps a scam-cued one, wherever they are put', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.stringMatching(/^09\d{2}-\d{3}-\d{3}$/),
        fc.stringMatching(/^09\d{2}-\d{3}-\d{3}$/),
        fc.string({ maxLength: 30 }),
        (a, own, scam, b) => {
          fc.pre(own.replace(/\D/g, '') !== scam.replace(/\D/g, ''));
          const text = `${a}。我的手機 ${own}，詐騙集團的電話 ${scam}。${b}`;
          const redacted = pub(text);
          expect(redacted).not.toContain(own);
          expect(redacted).toContain(scam);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['digits after a loss word', `被騙${'1'.repeat(19_998)}`],
    ['own cues with no number', '我的電話'.repeat(5_000)],
    ['transfer words with no target', '匯'.repeat(20_000)],
    ['an own phone number, 1,400 times', '我的電話0912345678，'.repeat(1_400)],
    ['ID-shaped strings', 'A123456789 '.repeat(1_800)],
    ['a list with nothing listed', '、'.repeat(20_000)],
    ['English cue words', 'my number is call me at '.repeat(830)],
    ['e-mail addresses', 'a@b.com '.repeat(2_500)],
  ])(
    'hostile text of the largest allowed size: %s answers, and masks what it finds',
    (_n, text) => {
      const redacted = pub(text, ['+886911222333']);
      expect(typeof redacted).toBe('string');
      expect(pub(`${text} 我的電話 0911-222-333`)).not.toContain('0911-222-333');
    },
  );
});
