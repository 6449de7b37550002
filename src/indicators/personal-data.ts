import { extractIndicators, type ExtractOptions, type Indicator } from './extract.js';
import { foldWidth } from './normalize-text.js';
import { canonicalPhone, DEFAULT_PHONE_REGION } from './phone.js';
import { hasInvisible, removeInvisible } from '../shared/text.js';

import type { IndicatorType } from '../vocabulary/index.js';
/**
 * Personal data of a reporter or victim that free text (a report, a case summary) may carry:
 * Taiwan ID numbers, e-mail addresses, phone numbers, bank accounts, LINE IDs, links and wallet
 * addresses given as the writer's own, other long numbers (card, account, landline written
 * without area code), street addresses, money amounts of a loss and names introduced as such.
 */
export const PERSONAL_DATA_KINDS = [
  'national_id',
  'email',
  'phone',
  'bank_account',
  'line_id',
  'url',
  'crypto_address',
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
  line_id: '〔LINE ID〕',
  url: '〔網址〕',
  crypto_address: '〔錢包地址〕',
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
/** Cues after which the next 2–4 CJK characters are a name, surname or not: `我叫阿明`. */
const NAME_CUE = /(?:我叫|我的名字(?:是|叫)?)[\s:：]*/g;
/**
 * Cues after which a name counts only when it starts with a surname: `姓名：王小明`, `戶名：林美玲`,
 * `本人王小明`, `我是陳大文` (not `姓名和電郵`, `申請人應具備`, `名字叫作爪哇`).
 */
const WEAK_NAME_CUE =
  /(?:名字(?:是|叫)|姓名(?:是|為)?|戶名|發信人|聯絡人|收件人|申請人|持卡人|本人|我是)[\s:：]*/g;
/** The self-introducing ones of WEAK_NAME_CUE: `本人王小明`, `我是陳大文`. */
const SELF_WEAK_NAME_CUE = /(?:本人|我是)[\s:：]*/g;
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

/** The index of the sentence of `sentences` (sorted, covering the text) holding offset `at`. */
function sentenceIndexOf(sentences: ReadonlyArray<{ start: number; end: number }>, at: number) {
  let low = 0;
  let high = sentences.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sentences[mid]?.end ?? 0) <= at) low = mid + 1;
    else high = mid;
  }
  return low;
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

/** How much redactPersonalData hides (see findPersonalData). */
export const REDACTION_POLICIES = ['strict', 'public'] as const;
export type RedactionPolicy = (typeof REDACTION_POLICIES)[number];

/** Options of findPersonalData, redactPersonalData and analysePersonalData. */
export interface PersonalDataOptions extends ExtractOptions {
  /** `strict` (default) or `public`: see findPersonalData. */
  policy?: RedactionPolicy | undefined;
  /**
   * The writer's own contact details given outside the text (a report's follow-up contact): an
   * e-mail address or a phone number in any form libphonenumber-js reads (`defaultRegion`). Every
   * mention of them in the text is personal, whatever its context.
   */
  ownContacts?: readonly string[] | undefined;
  /**
   * Every occurrence of the text's indicators, when the caller has them already:
   * extractIndicators(text, { ...these options, allOccurrences: true }). Saves a second pass.
   */
  occurrences?: readonly Indicator[] | undefined;
}

/**
 * Finds the personal data in free text (a report, a case summary). Full-width forms are folded
 * first (one unit in, one out), so spans index the input. Returns non-overlapping spans sorted
 * by start. Pure; never throws; linear in the text (every window a cue is looked for in is
 * bounded).
 *
 * `policy: 'strict'` (the default; for a third party such as a decision-link's recipient):
 * anything that may be somebody's — Taiwan ID numbers (national and resident, any check digit),
 * e-mail addresses, phone numbers and bank accounts (as extractIndicators reads them), other runs
 * of 8+ digits outside URLs (cards, accounts, landlines), street addresses (`…路65號3樓`), money
 * amounts in a sentence that tells of a loss or payment (`被騙了5萬元`, `匯款 NT$30,000`), and
 * names written after `我叫` or `我的名字`, after `姓名：`, `戶名`, `本人`, `我是` and the like when
 * they start with a common surname, or as surname + title (`王先生`). Names not introduced in one of these
 * ways are not found: callers that must not publish any name should not publish free text.
 *
 * `policy: 'public'` (public case pages, search, lookups): what identifies the reporter or
 * victim, while what a scammer gave to be reached stays, because warning others is the point:
 * - Taiwan ID numbers whose check digit is right (isTaiwanIdNumber; not when written as a LINE
 *   ID), and any ID-shaped string introduced as an ID (`身分證`, `居留證`, `ID`), given as the
 *   writer's own or in a sentence where the writer gives their identity; names as above; street
 *   addresses given as a home (`住`, `搬`, `戶籍`, `我家` in their sentence) or in a sentence where
 *   the writer gives their identity (a shop's or an event's stays);
 * - `ownContacts`, wherever they occur;
 * - a phone number, bank account, e-mail address, LINE ID or long number that appears only as the
 *   writer's own: a mention preceded in its clause by an own cue (`我的電話`, `我電話是`, `本人手機`,
 *   `我的帳號`, `my number is`, `call me at`, `卡號` …) or followed by one (`是我的`, `is mine`), a
 *   mention listed right after such a mention (`我的電話0912…、0933…`), or one with no cue in a
 *   sentence where the writer introduces themself (a name cue, an ID number, `我的…`; see
 *   OWN_DATA_CUE) or in a text where the writer gives their name (`我叫`, `姓名`), an ID number
 *   or a street address;
 * - a link or wallet address only when an own cue precedes it (`我的臉書 https://…`).
 * A mention preceded or followed by a scam cue (`加LINE`, `匯款到`, `客服專線`, `請撥打`, `對方`,
 * `詐騙`, `收到`, `打來`, `contact us`, `from` …; the nearer cue wins, a scam cue on a tie) is the
 * scammer's: the indicator stays public, even when the same text also gives it as somebody's own,
 * unless it is one of `ownContacts`. Every mention of a personal indicator is redacted. Money
 * amounts stay.
 */
export function findPersonalData(
  text: string,
  options: PersonalDataOptions = {},
): PersonalDataSpan[] {
  if (text === '') return [];
  if (options.policy === 'public') return analysePublic(text, options).spans;
  // foldWidth maps one UTF-16 unit to one; invisible characters are blanked to spaces (not
  // removed) for the same reason.
  const folded = visibleFolded(text);
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
 * `text` with every span findPersonalData finds (under `options.policy`) replaced by its
 * REDACTION_MARKS mark (`我叫〔姓名〕，身分證〔身分證號〕，電話〔電話〕，被騙了〔金額〕`). It cannot
 * find every name, so a notice to a third party should carry structured facts, not redacted free
 * text. Pure; never throws.
 */
export function redactPersonalData(text: string, options: PersonalDataOptions = {}): string {
  return applyRedaction(text, findPersonalData(text, options));
}

/** `text` with each of `spans` (sorted, not overlapping) replaced by its kind's mark. */
export function applyRedaction(text: string, spans: readonly PersonalDataSpan[]): string {
  let out = '';
  let from = 0;
  for (const span of spans) {
    out += text.slice(from, span.start) + REDACTION_MARKS[span.kind];
    from = span.end;
  }
  return out + text.slice(from);
}

/** A mark of REDACTION_MARKS (for readers of redacted text, e.g. keyword counts). */
export const REDACTION_MARK_PATTERN = /〔[^〔〕\n]{1,12}〕/g;

/** What analysePersonalData found: the spans to redact and each indicator with its verdict. */
export interface PersonalDataAnalysis {
  /** Spans to redact under the public policy (as findPersonalData). */
  spans: PersonalDataSpan[];
  /**
   * Each indicator of the text once (its first occurrence, as extractIndicators gives it), and
   * whether it is personal: no mention of it is left public.
   */
  indicators: Array<{ indicator: Indicator; personal: boolean }>;
}

/**
 * The public policy of findPersonalData in one pass: the spans to redact and which of the text's
 * indicators are personal (every mention redacted) and which stay public. An indicator is public
 * only when a mention of it stays visible in the redacted text, so a public indicator is never
 * derived from redacted text alone. Pure; never throws.
 */
export function analysePersonalData(
  text: string,
  options: Omit<PersonalDataOptions, 'policy'> = {},
): PersonalDataAnalysis {
  if (text === '') return { spans: [], indicators: [] };
  return analysePublic(text, options);
}

/**
 * The indicators of `text` (extractIndicators) that the writer gives only as their own or as
 * `options.ownContacts`, by the public policy of findPersonalData: 「我叫王小明，身分證A123456789，
 * 電話0912-345-678」 gives its phone here; 「加LINE：abc123 領取」 or 「對方電話0922-111-333」 give
 * nothing. A scammer's own words (「我的LINE：abc123」) are read the same way, so callers that must
 * not pass on a reporter's details lose such an indicator rather than risk it. Pure; never throws.
 */
export function selfDisclosedIndicators(
  text: string,
  options: PersonalDataOptions = {},
): Indicator[] {
  return analysePersonalData(text, options).indicators.flatMap((i) =>
    i.personal ? [i.indicator] : [],
  );
}

/**
 * `text` folded (foldWidth), invisible characters blanked to spaces and redaction marks to `〓`
 * (which no pattern reads as a cue, a name or a separator): one UTF-16 unit in, one out, so
 * offsets index the input. A mark already in the text (`〔姓名〕`) is no cue, so redacting a
 * redacted text changes nothing.
 */
function visibleFolded(text: string): string {
  let folded = foldWidth(text);
  if (hasInvisible(folded)) {
    folded = folded.replace(/./gsu, (ch) => (removeInvisible(ch) === '' ? ' ' : ch));
  }
  if (!folded.includes('〔')) return folded;
  return folded.replace(REDACTION_MARK_PATTERN, (mark) => '〓'.repeat(mark.length));
}

// --- The public policy ---------------------------------------------------------------------

/** Characters before a mention searched for its cue, within its clause. */
const LEAD_CHARS = 30;
/** Characters after a mention searched for a cue, within its clause. */
const TRAIL_CHARS = 16;
/** Characters before an ID-shaped string searched for `身分證`, `ID` and the like. */
const ID_CUE_CHARS = 12;

/**
 * Clause ends in the input as written (not folded: `。` folds to `.`, which URLs and numbers
 * hold): Chinese and ASCII sentence and clause punctuation, a comma not between digits, a full
 * stop before white space.
 */
const CLAUSE_END = /[。！？!?；;\n\r，、]|,(?!\d)|\.(?=\s|$)/g;
const HAS_CLAUSE_END = new RegExp(CLAUSE_END.source);

/**
 * Words before a mention that give it as the writer's own (or their family's): 「我的電話」,
 * 「我電話是」, 「本人手機」, 「我的帳號」, 「我家電話」, 「我媽的手機」, 「聯絡我」, 「卡號」, "my number
 * is", "call me at", "me at". Searched in folded, bounded windows.
 */
const OWN_LEAD = new RegExp(
  [
    String.raw`我的?(?:手機|電話|市話|門號|號碼|行動電話|聯絡電話|連絡電話|帳號|帳戶|账号|账户|戶頭|銀行|郵局|信箱|e-?mail|電子郵件|郵件|line|賴|臉書|fb|facebook|ig|instagram|身[分份]證|居留證|地址|住址|卡號|信用卡|金融卡|錢包)`,
    String.raw`本人的?(?:手機|電話|門號|號碼|帳號|帳戶|戶頭|信箱|line|地址)`,
    String.raw`我(?:們)?家(?:裡|中)?的?(?:電話|市話|地址)`,
    String.raw`我(?:爸|媽|父親|母親|老公|老婆|先生|太太|兒子|女兒|小孩|家人|朋友|同事|阿公|阿嬤|爺爺|奶奶)的?(?:手機|電話|號碼|帳號|帳戶|戶頭|line|信箱)`,
    String.raw`(?:聯絡|聯繫|連絡|回電給|回撥給|回覆|通知|寄給|轉告)我`,
    String.raw`(?:信用卡|金融卡|簽帳卡)?卡號`,
    String.raw`\bmy\s+(?:own\s+)?(?:(?:mobile|cell|phone|home|work|bank|line|contact|e-?mail)\s+)?(?:number|phone|mobile|cell|account|e-?mail|address|line(?:\s+id)?|id|card)`,
    String.raw`\b(?:call|text|reach|contact|e-?mail|message|phone)\s+me\b`,
    String.raw`\bme\s+(?:at|on)\b`,
  ].join('|'),
  'gi',
);

/**
 * Words before a mention that give it as the scammer's: invitations to add or call
 * (「加LINE」, 「請撥打」, 「客服專線」), payment instructions (「匯款到」, 「轉入」, 「指定帳戶」),
 * pointing at the other party (「對方」, 「詐騙」, 「收到」, 「打來」, 「這支」), "contact us",
 * "call now", "from", "transfer to".
 */
const SCAM_LEAD = new RegExp(
  [
    String.raw`加(?:我|入)?的?\s*(?:line|賴|好友|微信|wechat|telegram|飛機|whatsapp)`,
    String.raw`客服|專線|熱線|服務電話|總機|官方`,
    String.raw`撥打|撥電話|請撥|請來電|來電|致電|洽詢|請洽|請聯[繫絡]|請連絡|立即聯[繫絡]|聯[繫絡]客服|(?:請)?回電(?!給我)|回撥(?!給我)`,
    String.raw`匯款|匯錢|匯入|匯到|匯至|匯給|轉帳|轉入|轉到|轉至|轉給|存入|存到|付款|繳費|繳款|收款|入金|儲值|指定帳|監管帳|安全帳`,
    String.raw`(?:匯|轉|付|存).{0,16}?(?:到|至|進|入|給)`,
    String.raw`對方|詐騙|詐團|騙子|騙徒|歹徒|嫌犯|犯嫌|假冒|冒充|冒用|偽裝|自稱|可疑|陌生|不明|不認識|收到|接到|傳來|寄來|打來|來自|發送|發來|顯示|他的|她的|他們的|這支|這組|那支|此(?:號碼|電話|帳號|帳戶|網站|line)|該(?:號碼|電話|帳號|帳戶|網站|公司|line)`,
    String.raw`\b(?:contact|call|text|message|whatsapp|add|e-?mail)\s+us\b|\bcall\s+now\b|\bwhats\s?app\b|\btelegram\b|\bhotline\b|\bcustomer\s+(?:service|support)\b|\bsupport\b`,
    String.raw`\bscam\w*|\bfraud\w*|\bfake\b|\bsuspicious\b|\bfrom\b|\bsent\s+by\b|\bthey\b|\btheir\b|\bcaller\b|\bthis\s+number\b|\bthe\s+number\b`,
    String.raw`\b(?:transfer|send|pay|wire|deposit)\w*\s+(?:\w+\s+){0,3}?(?:to|into)\b`,
  ].join('|'),
  'gi',
);

/** Words right after a mention that give it as the writer's own: 「是我的」, "is mine". */
const OWN_TRAIL =
  /是我的|是本人|是我(?:本人)?的?(?:電話|手機|號碼|帳號|帳戶|信箱)|\bis\s+(?:my|mine)\b|[(（]本人[)）]|\(mine\)/gi;
/** Words right after a mention that give it as the scammer's: 「打來」, 「是詐騙」, "is a scam". */
const SCAM_TRAIL =
  /打來|打給我|打電話給我|傳來|傳了?(?:簡訊|訊息)|來電|騷擾|詐騙|騙子|騙人|是假的|假冒|冒充|\bcalled\s+me\b|\btexted\s+me\b|\bmessaged\s+me\b|\bscam\w*|\bfake\b|\bfraud\w*/gi;
/** `身分證`, `居留證`, `統一證號`, `ID` (not `LINE ID`) before an ID-shaped string. */
const ID_CUE = /身[分份]證|居留證|統一證號|證號|字號|(?<!line[ \t]?)\bid\b|identity/i;
/**
 * The writer giving their own name (`我叫`, `我的名字`, `本人王小明`, `我是陳大文`, "my name is"),
 * not a contact person's (`聯絡人`, `戶名`, `王小姐`) or a form's field (`您的姓名`).
 */
const SELF_NAME_CUE = /我叫|我的(?:名字|姓名)|本人姓名|\bmy\s+name\s+is\b/gi;
/** Words that make a street address the writer's home: 「住在」, 「搬到」, 「戶籍」, 「我家」. */
const HOME_CUE = /住|搬|戶籍|現居|我家|我的地址|本人地址|\b(?:i|we)\s+live\b|\bmy\s+address\b/i;
/** What may stand between two mentions of one list (`0912…、0933…`, `… and …`). */
const LIST_GAP = /^(?:[\s、,，/&+及和跟或與]|and\b|or\b)*$/i;

type Attribution = 'own' | 'scam' | 'neutral';

/** Indicator types a person is reached or paid by: a self-introducing sentence makes them own. */
const CONTACT_KINDS: ReadonlySet<PersonalDataKind> = new Set([
  'email',
  'phone',
  'bank_account',
  'line_id',
  'number',
]);

function kindOf(type: IndicatorType): PersonalDataKind {
  // A host, by name or by address, is redacted as a link is.
  if (type === 'domain' || type === 'ip') return 'url';
  return type;
}

/** Every cue holds a letter or a CJK character: a window without one has none (fast path). */
const MAY_HOLD_CUE = /[A-Za-z\u3400-\u9fff]/;

/** The cue nearest the end of `window` (before a mention); a scam cue wins a tie. */
function leadCue(window: string): Attribution {
  if (!MAY_HOLD_CUE.test(window)) return 'neutral';
  let best: Attribution = 'neutral';
  let bestEnd = -1;
  for (const m of window.matchAll(OWN_LEAD)) {
    const end = m.index + m[0].length;
    if (end > bestEnd) [best, bestEnd] = ['own', end];
  }
  for (const m of window.matchAll(SCAM_LEAD)) {
    const end = m.index + m[0].length;
    if (end >= bestEnd) [best, bestEnd] = ['scam', end];
  }
  return best;
}

/** The cue nearest the start of `window` (after a mention); a scam cue wins a tie. */
function trailCue(window: string): Attribution {
  if (!MAY_HOLD_CUE.test(window)) return 'neutral';
  let best: Attribution = 'neutral';
  let bestStart = Infinity;
  for (const m of window.matchAll(SCAM_TRAIL)) {
    if (m.index < bestStart) [best, bestStart] = ['scam', m.index];
    break;
  }
  for (const m of window.matchAll(OWN_TRAIL)) {
    if (m.index < bestStart) [best, bestStart] = ['own', m.index];
    break;
  }
  return best;
}

/** One mention of something that may be personal, in input offsets. */
interface Mention {
  kind: PersonalDataKind;
  /** Groups the mentions of one value: `<type>\0<canonical value>`. */
  key: string;
  start: number;
  end: number;
  /** The indicator, for mentions found by extractIndicators. */
  indicator?: Indicator;
  /** True when the value is one of the writer's own contacts. */
  contact: boolean;
}

/** The writer's own contacts as phone numbers (E.164) and lower-cased e-mail addresses. */
function contactSets(options: PersonalDataOptions): { phones: Set<string>; emails: Set<string> } {
  const phones = new Set<string>();
  const emails = new Set<string>();
  for (const raw of options.ownContacts ?? []) {
    const contact = raw.trim();
    if (contact === '') continue;
    if (contact.includes('@')) emails.add(contact.toLowerCase());
    else {
      const phone = canonicalPhone(contact, options.defaultRegion ?? DEFAULT_PHONE_REGION);
      if (phone !== null) phones.add(phone);
    }
  }
  return { phones, emails };
}

/** The clause start at or before `at`, searching back at most `limit` units of `text`. */
function clauseStart(text: string, at: number, limit: number): number {
  const from = Math.max(0, at - limit);
  let start = from;
  for (const m of text.slice(from, at).matchAll(CLAUSE_END)) start = from + m.index + m[0].length;
  return start;
}

/** The clause end after `at`, searching at most `limit` units of `text`. */
function clauseEnd(text: string, at: number, limit: number): number {
  const window = text.slice(at, at + limit);
  const m = HAS_CLAUSE_END.exec(window);
  return at + (m === null ? window.length : m.index);
}

/**
 * Which units of a text some span covers, answering "does [start, end) overlap any span?" in
 * constant time (a prefix count), so that checking every mention stays linear.
 */
class Coverage {
  private readonly prefix: Int32Array;

  constructor(length: number, spans: ReadonlyArray<{ start: number; end: number }>) {
    const depth = new Int32Array(length + 1);
    for (const span of spans) {
      depth[span.start] = (depth[span.start] ?? 0) + 1;
      depth[span.end] = (depth[span.end] ?? 0) - 1;
    }
    this.prefix = new Int32Array(length + 1);
    let open = 0;
    for (let i = 0; i < length; i++) {
      open += depth[i] ?? 0;
      this.prefix[i + 1] = (this.prefix[i] ?? 0) + (open > 0 ? 1 : 0);
    }
  }

  overlaps(span: { start: number; end: number }): boolean {
    return (this.prefix[span.end] ?? 0) - (this.prefix[span.start] ?? 0) > 0;
  }
}

function analysePublic(text: string, options: PersonalDataOptions): PersonalDataAnalysis {
  const folded = visibleFolded(text);
  const region = options.defaultRegion ?? DEFAULT_PHONE_REGION;
  const contacts = contactSets(options);
  const sentences = sentenceSpans(text);
  const sentenceAt = (() => {
    // Mentions are visited in order of start: one pointer walks the sentences once.
    let i = 0;
    return (at: number): number => {
      while (i < sentences.length - 1 && (sentences[i]?.end ?? 0) <= at) i += 1;
      return i;
    };
  })();
  const lead = (start: number, notBefore: number) => {
    const from = Math.max(start - LEAD_CHARS, notBefore, 0);
    return folded.slice(clauseStart(text, start, start - from), start);
  };

  // Every occurrence of an indicator (first: an ID-shaped LINE ID is a LINE ID).
  const occurrences =
    options.occurrences ??
    extractIndicators(text, {
      defaultRegion: region,
      ...(options.maxIndicators === undefined ? {} : { maxIndicators: options.maxIndicators }),
      allOccurrences: true,
    });
  const lineIds = new Coverage(
    text.length,
    occurrences.filter((i) => i.type === 'line_id'),
  );

  // Names are always redacted.
  const names = nameSpans(folded);
  const ownSentence = sentences.map((s) => OWN_DATA_CUE.test(folded.slice(s.start, s.end)));
  // The writer naming themself: a self-introducing cue, or 本人/我是 before a surname.
  const selfIntroductions: PersonalDataSpan[] = regexSpans(folded, SELF_NAME_CUE, 'name');
  for (const match of folded.matchAll(SELF_WEAK_NAME_CUE)) {
    const from = match.index + match[0].length;
    const length = nameLength(folded, from, true);
    if (length > 0) {
      selfIntroductions.push({ kind: 'name', start: match.index, end: from + length });
    }
  }
  const selfNamed = new Coverage(text.length, selfIntroductions);
  // ID-shaped strings: by their check digit (unless written as a LINE ID), or by their context.
  const ids: PersonalDataSpan[] = [];
  for (const span of regexSpans(folded, TW_ID, 'national_id')) {
    const sentence = sentenceIndexOf(sentences, span.start);
    const valid = isTaiwanIdNumber(folded.slice(span.start, span.end)) && !lineIds.overlaps(span);
    if (
      valid ||
      ID_CUE.test(lead(span.start, span.start - ID_CUE_CHARS)) ||
      leadCue(lead(span.start, 0)) === 'own' ||
      ownSentence[sentence] === true
    ) {
      ids.push(span);
    }
  }
  const idCoverage = new Coverage(text.length, ids);
  // Street addresses: a home (住, 搬, 戶籍, 我家 in its sentence) or one in a sentence where the
  // writer gives their identity; a shop's, an event's or an office's stays.
  const addresses = regexSpans(folded, ADDRESS, 'address').filter((a) => {
    const i = sentenceIndexOf(sentences, a.start);
    const sentence = sentences[i];
    if (sentence === undefined) return false;
    return (
      HOME_CUE.test(folded.slice(sentence.start, sentence.end)) ||
      ownSentence[i] === true ||
      selfNamed.overlaps(sentence) ||
      idCoverage.overlaps(sentence)
    );
  });
  const identity = [...names, ...addresses, ...ids];
  const identityCoverage = new Coverage(text.length, identity);
  // A sentence that names the writer or gives their ID number introduces them; a text that
  // gives the writer's name (我叫, 本人王…), an ID number or their home address is the writer's
  // own story, so every contact detail in it that no cue gives to someone else is theirs.
  const writerIdentified = ids.length > 0 || addresses.length > 0 || selfIntroductions.length > 0;
  const introduces = sentences.map(
    (s, i) =>
      writerIdentified ||
      ownSentence[i] === true ||
      idCoverage.overlaps(s) ||
      selfNamed.overlaps(s),
  );

  // Every mention of an indicator, e-mail address or long number, in order.
  const indicatorCoverage = new Coverage(text.length, occurrences);
  const free = (s: { start: number; end: number }) => !indicatorCoverage.overlaps(s);
  const mentions: Mention[] = [];
  // Long numbers: mentions of their own outside indicators; inside one (a link carrying the
  // reporter's number) a contact makes the indicator personal.
  const embeddedContacts: PersonalDataSpan[] = [];
  for (const span of regexSpans(folded, LONG_NUMBER, 'number')) {
    const raw = folded.slice(span.start, span.end);
    if (DATE.test(raw) || idCoverage.overlaps(span)) continue;
    const phone = contacts.phones.size === 0 ? null : canonicalPhone(raw, region);
    const contact = phone !== null && contacts.phones.has(phone);
    if (!free(span)) {
      if (contact) embeddedContacts.push(span);
      continue;
    }
    mentions.push({ ...span, key: `number\u0000${raw.replace(/\D/g, '')}`, contact });
  }
  const embedded = new Coverage(text.length, embeddedContacts);
  for (const indicator of occurrences) {
    mentions.push({
      kind: kindOf(indicator.type),
      key: `${indicator.type}\u0000${indicator.value}`,
      start: indicator.start,
      end: indicator.end,
      indicator,
      contact:
        (indicator.type === 'phone' && contacts.phones.has(indicator.value)) ||
        (indicator.type === 'email' && contacts.emails.has(indicator.value)) ||
        embedded.overlaps(indicator),
    });
  }
  for (const span of regexSpans(folded, EMAIL, 'email')) {
    if (!free(span)) continue;
    const value = folded.slice(span.start, span.end).toLowerCase();
    mentions.push({ ...span, key: `email\u0000${value}`, contact: contacts.emails.has(value) });
  }
  mentions.sort((a, b) => a.start - b.start || a.end - b.end);

  // Each mention's attribution: its lead cue, else its trail cue, else its list's, else its
  // sentence's or text's (for contact details).
  const explicit: Attribution[] = [];
  const own = new Set<string>();
  const scam = new Set<string>();
  mentions.forEach((mention, i) => {
    const previous = i > 0 ? mentions[i - 1] : undefined;
    const next = mentions[i + 1];
    let attribution = leadCue(lead(mention.start, previous?.end ?? 0));
    if (attribution === 'neutral') {
      const end = Math.min(clauseEnd(text, mention.end, TRAIL_CHARS), next?.start ?? Infinity);
      attribution = trailCue(folded.slice(mention.end, Math.max(mention.end, end)));
    }
    const before = explicit[i - 1];
    if (
      attribution === 'neutral' &&
      previous !== undefined &&
      before !== undefined &&
      before !== 'neutral' &&
      mention.start - previous.end <= LEAD_CHARS &&
      LIST_GAP.test(folded.slice(previous.end, mention.start)) &&
      sentenceAt(previous.start) === sentenceAt(mention.start)
    ) {
      attribution = before;
    }
    explicit.push(attribution);
    if (attribution === 'scam') scam.add(mention.key);
    const implied =
      attribution === 'neutral' &&
      CONTACT_KINDS.has(mention.kind) &&
      introduces[sentenceAt(mention.start)] === true;
    if (attribution === 'own' || implied || identityCoverage.overlaps(mention))
      own.add(mention.key);
    if (mention.contact) own.add(mention.key);
  });
  const contactKeys = new Set(mentions.filter((m) => m.contact).map((m) => m.key));
  const personal = (key: string) => contactKeys.has(key) || (own.has(key) && !scam.has(key));

  const spans: PersonalDataSpan[] = [...identity];
  for (const m of mentions) {
    if (personal(m.key)) spans.push({ kind: m.kind, start: m.start, end: m.end });
  }
  const seen = new Set<string>();
  const indicators: PersonalDataAnalysis['indicators'] = [];
  for (const m of mentions) {
    if (m.indicator === undefined || seen.has(m.key)) continue;
    seen.add(m.key);
    indicators.push({ indicator: m.indicator, personal: personal(m.key) });
  }
  indicators.sort((a, b) => a.indicator.start - b.indicator.start);
  return { spans: mergeSpans(spans), indicators };
}
