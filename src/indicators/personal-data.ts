import { extractIndicators, type ExtractOptions, type Indicator } from './extract.js';
import { foldWidth } from './normalize-text.js';
import { hasInvisible, removeInvisible } from '../shared/text.js';

/**
 * Personal data of a reporter or victim that free text (a report, a case summary) may carry:
 * Taiwan ID numbers, e-mail addresses, phone numbers, bank accounts, other long numbers (card,
 * account, landline written without area code), street addresses, money amounts of a loss and
 * names introduced as such.
 */
export const PERSONAL_DATA_KINDS = [
  'national_id',
  'email',
  'phone',
  'bank_account',
  'number',
  'address',
  'money',
  'name',
] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** One piece of personal data found in a text: `text.slice(start, end)` (UTF-16 offsets). */
export interface PersonalDataSpan {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

/** What redactPersonalData writes in place of each kind (zh-TW first, as the public pages). */
export const REDACTION_MARKS: Readonly<Record<PersonalDataKind, string>> = {
  national_id: '〔身分證號〕',
  email: '〔電子郵件〕',
  phone: '〔電話〕',
  bank_account: '〔帳號〕',
  number: '〔號碼〕',
  address: '〔地址〕',
  money: '〔金額〕',
  name: '〔姓名〕',
};

/**
 * Letter codes of the first character of a Taiwan ID number (內政部 身分證統一編號 / 居留證統一證號):
 * A=10 … Z=33, in the order the household registration offices were numbered (I, O, W … out of
 * alphabetical order).
 */
const LETTER_CODES: Readonly<Record<string, number>> = {
  A: 10,
  B: 11,
  C: 12,
  D: 13,
  E: 14,
  F: 15,
  G: 16,
  H: 17,
  I: 34,
  J: 18,
  K: 19,
  L: 20,
  M: 21,
  N: 22,
  O: 35,
  P: 23,
  Q: 24,
  R: 25,
  S: 26,
  T: 27,
  U: 28,
  V: 29,
  W: 32,
  X: 30,
  Y: 31,
  Z: 33,
};

/**
 * True when `value` is a Taiwan ID number with a correct check digit: a national ID
 * (國民身分證統一編號, letter + `1`/`2` + 8 digits), a new-format resident certificate number
 * (2021 新式統一證號, letter + `8`/`9` + 8 digits) or an old-format one (舊式居留證號, letter +
 * `A`–`D` + 8 digits, the second letter counting as the last digit of its code). Checksum: the
 * first letter's two-digit code weighted 1 and 9, then the nine digits weighted 8…1 and 1; the
 * sum is a multiple of 10. Case-insensitive; full-width forms are folded. Never throws.
 */
export function isTaiwanIdNumber(value: string): boolean {
  const id = foldWidth(value).trim().toUpperCase();
  const match = /^([A-Z])([12890ABCD])(\d{8})$/.exec(id);
  if (match === null) return false;
  const [, letter = '', second = '', rest = ''] = match;
  if (second === '0') return false;
  const code = LETTER_CODES[letter];
  if (code === undefined) return false;
  const secondDigit = /\d/.test(second) ? Number(second) : (LETTER_CODES[second] ?? 0) % 10;
  const digits = [secondDigit, ...[...rest].map(Number)];
  const weights = [8, 7, 6, 5, 4, 3, 2, 1, 1];
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  digits.forEach((d, i) => (sum += d * (weights[i] ?? 0)));
  return sum % 10 === 0;
}

/**
 * Letter + `1 2 8 9 A–D` + 8 digits, whatever the check digit: a mistyped ID number is still
 * somebody's, so redaction does not depend on isTaiwanIdNumber.
 */
const TW_ID = /(?<![A-Za-z0-9])[A-Za-z][1289A-Da-d]\d{8}(?![0-9])/g;
const HAS_TW_ID = new RegExp(TW_ID.source);
/**
 * An e-mail address (RFC 5321 sizes: local part ≤ 64, labels ≤ 63, a few labels). Every run is
 * bounded and a match starts only where a run of local-part characters starts, so a long run
 * with no `@` costs one bounded try, not one per position (linear time on hostile text).
 */
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
/** Eight or more digits, single spaces or hyphens between groups allowed. */
const LONG_NUMBER = /(?<![0-9])\d(?:[ -]?\d){7,}(?![0-9])/g;
/** `2019-09-24`, `20190924`: a date, not somebody's number. */
const DATE = /^(?:19|20)\d\d-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])$/;

const CJK = String.raw`\u3400-\u9fff`;
const CJK_CHAR = new RegExp(`[${CJK}]`);
const ZH_DIGITS = '一二三四五六七八九十百千萬兩零〇';
/** `仁愛路65號3樓`, `中山路二段259號`, `復興北路10巷3弄5號之1 7樓`, with up to 10 CJK characters before. */
const ADDRESS = new RegExp(
  String.raw`[${CJK}]{0,10}(?:路|街|大道)(?:[\d${ZH_DIGITS}]+段)?(?:\s*\d+\s*巷)?(?:\s*\d+\s*弄)?\s*\d+(?:之\d+)?\s*號(?:\s*\d+\s*樓(?:之\s*\d+)?)?`,
  'g',
);
/**
 * An amount of money: with a currency before (`NT$30,000`, `$1,200`, `台幣 5000`), with a unit or
 * currency after (`5萬元`, `三千塊`, `3000 USDT`, `100美金`), or a bare count of 萬/億 (`5萬`, `十萬`).
 */
const AMOUNT = new RegExp(
  // Runs of digits are bounded (30) and start only where a run starts (the lookbehinds), so a
  // long run of digits costs one bounded try, not one per position (linear on hostile text).
  [
    String.raw`(?:NT\$|NTD|TWD|US\$|\$|新?台幣)\s*\d[\d,]{0,30}(?:\.\d{1,10})?(?:\s*[萬千百億])?(?:\s*(?:元|塊))?`,
    String.raw`(?<![\d,.${ZH_DIGITS}])[\d${ZH_DIGITS}][\d,.${ZH_DIGITS}]{0,30}\s*(?:元|塊錢?|圓|NTD|TWD|USDT|美金|美元|台幣)`,
    String.raw`(?<![\d,.])\d[\d,.]{0,30}\s*[萬億]|(?<![${ZH_DIGITS}])[${ZH_DIGITS}]{1,30}[萬億]`,
  ].join('|'),
  'gi',
);
/** Words saying that money was lost or paid away, which make an amount in the sentence personal. */
const LOSS_CUE =
  /被騙|騙走|騙了|損失|受騙|被盜|盜刷|賠了|虧了|虧損|匯了|匯款|匯給|轉帳|轉了|轉給|付了|付款|繳了|交了|花了|給了|存入|儲值|loss|lost|scammed/i;

/** Common Taiwanese surnames (single and compound), for names written after 本人 or with a title. */
const SURNAMES =
  '陳林黃黄張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余趙盧梁顏柯孫魏翁戴范宋方鄧杜傅侯曹薛丁卓阮馬董温溫唐藍蔣石古紀姚連馮歐程湯田康姜汪白鄒尤巫鐘黎涂凃龔嚴韓袁金童陸夏柳邵錢伍倪于譚駱熊任甘秦顧毛章史官萬俞雷粘饒';
const COMPOUND_SURNAMES = ['歐陽', '司馬', '諸葛', '上官', '東方', '張簡', '范姜', '張廖', '周黃'];
/** Cues after which the next 2–4 CJK characters are a name, surname or not: `我叫…`, `姓名：…`. */
const NAME_CUE =
  /(?:我叫|我的名字(?:是|叫)?|名字(?:是|叫)|姓名(?:是|為)?|戶名|發信人|聯絡人|收件人|申請人|持卡人)[\s:：]*/g;
/** Cues after which a name counts only when it starts with a surname: `本人王小明`, `我是陳大文`. */
const WEAK_NAME_CUE = /(?:本人|我是)[\s:：]*/g;
/** A surname with a title: `王先生`, `歐陽小姐`. */
const TITLED = new RegExp(
  String.raw`(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])(?:先生|小姐|太太|女士)`,
  'g',
);

/**
 * Sentence ends: the clause commas of 「我叫王小明，身分證…，電話…」 stay inside one sentence, so a
 * self-introduction makes the whole sentence personal.
 */
const SENTENCE_END = /[。！？!?\n；;]/g;

/** Words by which the writer gives their own identity or contact details. */
const OWN_DATA_CUE =
  /我叫|我的名字|姓名|身[分份]證|居留證|我的(?:電話|手機|號碼|門號|市話|e-?mail|信箱|電子郵件|郵件|帳號|帳戶|銀行|地址|住址|line|賴|臉書|fb|ig)|本人(?:的)?(?:電話|手機|帳號|帳戶|地址)|我(?:電話|手機)|聯絡我|聯繫我|與我聯絡|回電給我|my (?:name|phone|number|email|address|account)/i;

function nameLength(text: string, from: number, needSurname: boolean): number {
  const compound = COMPOUND_SURNAMES.some((s) => text.startsWith(s, from));
  const first = text.charAt(from);
  if (needSurname && !compound && !SURNAMES.includes(first)) return 0;
  const max = compound ? 4 : 3;
  let length = 0;
  while (length < max && CJK_CHAR.test(text.charAt(from + length))) length += 1;
  return length >= 2 ? length : 0;
}

function sentenceSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    spans.push({ start, end: match.index + 1 });
    start = match.index + 1;
  }
  spans.push({ start, end: text.length });
  return spans;
}

function regexSpans(text: string, pattern: RegExp, kind: PersonalDataKind): PersonalDataSpan[] {
  return [...text.matchAll(pattern)].map((m) => ({
    kind,
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function nameSpans(text: string): PersonalDataSpan[] {
  const spans: PersonalDataSpan[] = [];
  for (const [cue, needSurname] of [
    [NAME_CUE, false],
    [WEAK_NAME_CUE, true],
  ] as const) {
    for (const match of text.matchAll(cue)) {
      const from = match.index + match[0].length;
      const length = nameLength(text, from, needSurname);
      if (length > 0) spans.push({ kind: 'name', start: from, end: from + length });
    }
  }
  return [...spans, ...regexSpans(text, TITLED, 'name')];
}

/** `sentences` come from the unfolded text: foldWidth turns `。` into `.`. */
function moneySpans(text: string, sentences: ReadonlyArray<{ start: number; end: number }>) {
  const spans: PersonalDataSpan[] = [];
  for (const sentence of sentences) {
    const part = text.slice(sentence.start, sentence.end);
    if (!LOSS_CUE.test(part)) continue;
    for (const span of regexSpans(part, AMOUNT, 'money')) {
      spans.push({ ...span, start: span.start + sentence.start, end: span.end + sentence.start });
    }
  }
  return spans;
}

/** Keeps the first of overlapping spans, extended to cover the ones it overlaps; sorted by start. */
function mergeSpans(spans: PersonalDataSpan[]): PersonalDataSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PersonalDataSpan[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last !== undefined && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      continue;
    }
    out.push({ ...span });
  }
  return out;
}

/**
 * Finds the personal data in free text (a report, a case summary): Taiwan ID numbers (national
 * and resident, any check digit), e-mail addresses, phone numbers and bank accounts (as
 * extractIndicators reads them), other runs of 8+ digits outside URLs (cards, accounts,
 * landlines), street addresses (`…路65號3樓`), money amounts in a sentence that tells of a loss or
 * payment (`被騙了5萬元`, `匯款 NT$30,000`), and names written after `我叫`, `姓名：`, `戶名` and the
 * like, after `本人`/`我是` when they start with a common surname, or as surname + title (`王先生`).
 * Names not introduced in one of these ways are not found: callers that must not publish any name
 * should not publish free text. Full-width forms are folded first (one unit in, one out), so
 * spans index the input. Returns non-overlapping spans sorted by start. Pure; never throws.
 */
export function findPersonalData(text: string, options: ExtractOptions = {}): PersonalDataSpan[] {
  if (text === '') return [];
  // foldWidth maps one UTF-16 unit to one; invisible characters are blanked to spaces (not
  // removed) for the same reason.
  let folded = foldWidth(text);
  if (hasInvisible(folded)) {
    folded = folded.replace(/./gsu, (ch) => (removeInvisible(ch) === '' ? ' ' : ch));
  }
  const found = extractIndicators(text, options);
  const urls = found.filter((i) => i.type === 'url' || i.type === 'domain');
  const insideUrl = (span: PersonalDataSpan) =>
    urls.some((u) => span.start >= u.start && span.end <= u.end);
  const spans: PersonalDataSpan[] = [
    ...regexSpans(folded, TW_ID, 'national_id'),
    ...regexSpans(folded, EMAIL, 'email'),
    ...found.flatMap((i): PersonalDataSpan[] =>
      i.type === 'email' || i.type === 'phone' || i.type === 'bank_account'
        ? [{ kind: i.type, start: i.start, end: i.end }]
        : [],
    ),
    ...regexSpans(folded, LONG_NUMBER, 'number').filter(
      (s) => !insideUrl(s) && !DATE.test(folded.slice(s.start, s.end)),
    ),
    ...regexSpans(folded, ADDRESS, 'address'),
    ...moneySpans(folded, sentenceSpans(text)),
    ...nameSpans(folded),
  ];
  return mergeSpans(spans);
}

/**
 * `text` with every span findPersonalData finds replaced by its REDACTION_MARKS mark
 * (`我叫〔姓名〕，身分證〔身分證號〕，電話〔電話〕，被騙了〔金額〕`). For publishing free text (public case
 * pages, summaries); it cannot find every name, so a notice to a third party should carry
 * structured facts, not redacted free text. Pure; never throws.
 */
export function redactPersonalData(text: string, options: ExtractOptions = {}): string {
  let out = '';
  let from = 0;
  for (const span of findPersonalData(text, options)) {
    out += text.slice(from, span.start) + REDACTION_MARKS[span.kind];
    from = span.end;
  }
  return out + text.slice(from);
}

/**
 * The indicators of `text` (extractIndicators) that the writer gives as their own: those in a
 * sentence (ended by `。！？!?；;` or a line break) where the writer introduces themself or their
 * details — a Taiwan ID number, `我叫`/`姓名`, `我的電話`/`我的帳戶`/`聯絡我`/`my phone` and the like
 * (OWN_DATA_CUE). A victim's report 「我叫王小明，身分證A123456789，電話0912-345-678」 gives its phone
 * here; a scam message 「加LINE：abc123 領取」 gives nothing. A scammer's own words (「加我的LINE」) are
 * read the same way, so callers that must not pass on a reporter's details lose such an indicator
 * rather than risk it. Pure; never throws.
 */
export function selfDisclosedIndicators(text: string, options: ExtractOptions = {}): Indicator[] {
  if (text === '') return [];
  const folded = foldWidth(text);
  const personal = sentenceSpans(text).filter((s) => {
    const sentence = folded.slice(s.start, s.end);
    return HAS_TW_ID.test(sentence) || OWN_DATA_CUE.test(sentence);
  });
  if (personal.length === 0) return [];
  return extractIndicators(text, options).filter((i) =>
    personal.some((s) => i.start < s.end && i.end > s.start),
  );
}
