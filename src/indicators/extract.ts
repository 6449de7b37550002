import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { parse as parseDomain } from 'tldts';
import {
  canonicalUrlParts,
  formatCanonicalUrl,
  isAscii,
  type CanonicalUrlParts,
} from './canonicalize-url.js';
import { canonicalBankAccount, TW_BANK_CODES, TW_BANK_NAMES } from './bank-account.js';
import { canonicalCryptoAddress } from './crypto-address.js';
import { canonicalLineId } from './line-id.js';
import { normalizeForExtraction, toInputSpan, type NormalizedText } from './normalize-text.js';
import {
  DEFAULT_PHONE_REGION,
  internationalPhone,
  phoneNumbersIn,
  type CountryCode,
} from './phone.js';

import { INDICATOR_TYPES, type IndicatorType } from '../vocabulary/index.js';
/** One typed, canonical observable found in a text. */
export interface Indicator {
  type: IndicatorType;
  /** Canonical value (see extractIndicators for each type's form). */
  value: string;
  /** The exact substring of the input it came from (`input.slice(start, end)`). */
  raw: string;
  /** UTF-16 offset of the first unit of `raw` in the input. */
  start: number;
  /** UTF-16 offset just after `raw` in the input. */
  end: number;
}

/** Options of extractIndicators. */
export interface ExtractOptions {
  /** Region for national phone numbers (ISO 3166-1 alpha-2, libphonenumber-js), default `TW`. */
  defaultRegion?: CountryCode;
  /**
   * Stop after this many distinct indicators, or after WORK_PER_INDICATOR × this many candidates
   * were canonicalised (URL parsing, libphonenumber, checksums: the costly part), whichever
   * comes first; no limit by default. Intake and lookup set it, so that a text of thousands of
   * links or numbers costs no more than a message's worth.
   */
  maxIndicators?: number;
  /**
   * Return every occurrence of each indicator, in order of appearance, instead of the first one
   * only (personal-data.ts reads each mention in its own context). `maxIndicators` still counts
   * distinct indicators. Default false.
   */
  allOccurrences?: boolean;
}

/** Candidates canonicalised per indicator allowed, when `maxIndicators` is set. */
export const WORK_PER_INDICATOR = 4;

interface Found {
  type: IndicatorType;
  value: string;
  /** Span in the normalised text. */
  start: number;
  end: number;
}

/** URL body: printable ASCII except whitespace, quotes, angle brackets and `` ` ^ { | } ``. */
const URL_BODY = String.raw`[^\s<>"'\x60^{|}\u0080-\uffff]`;
/**
 * Letters of the scripts homograph attacks borrow from (Latin-1/Extended, Greek, Cyrillic): they may
 * appear in a host (`www.adîdas.com`); CJK may not, so that Chinese text glued to a URL stays out.
 */
const HOMOGRAPH_LETTERS = String.raw`\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff`;
const HOST_BODY = String.raw`(?:[^\s<>"'\x60^{|}/?#\\\u0080-\uffff]|[${HOMOGRAPH_LETTERS}])`;
const LABEL = String.raw`[a-z0-9${HOMOGRAPH_LETTERS}](?:[a-z0-9${HOMOGRAPH_LETTERS}-]{0,61}[a-z0-9${HOMOGRAPH_LETTERS}])?`;
const TLD = String.raw`(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})`;
const HOST_END = String.raw`(?![a-z0-9_@-]|\.[a-z0-9-])`;

const SCHEME_URL = new RegExp(
  String.raw`(?:https?|ftp):\/\/${HOST_BODY}+(?:[/?#\\]${URL_BODY}*)?`,
  'gi',
);
/**
 * A scheme inside a URL that starts the next URL: glued links (`…/AAAAAAAhttp://t.cn/B`, `…/a,
 * https://…`). Not after `/ ? = & # % :`, where a URL inside a URL is part of it (a redirect's
 * `?url=http://…`, an archive's `/web/2020/http://…`, a doubled `http://http://…`).
 */
const NEXT_SCHEME = /(?<![/?=&#%:\\])(?:https?|ftp):\/\//gi;
// The look-behind lets a host start only at the beginning of a run of host characters, which
// keeps this linear on `a.a.a.a…`; the label count bound keeps back-tracking bounded.
const HOST_URL = new RegExp(
  String.raw`(?<![a-z0-9._@/%+=${HOMOGRAPH_LETTERS}-])(?:${LABEL}\.){1,126}${TLD}${HOST_END}(?::\d{1,5}(?!\d))?(?:[/?#]${URL_BODY}*)?`,
  'gi',
);
const IPV4_URL = new RegExp(
  String.raw`(?<![0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9]|\.\d)(?::\d{1,5}(?!\d)(?:[/?]${URL_BODY}*)?|[/?]${URL_BODY}*)`,
  'g',
);
const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
/**
 * A bare dotted-quad IPv4 address: four decimal octets without leading zeros, not part of a
 * longer run of digits and dots (`1.2.3.4.5`, `10.0.19041.1`), of a word (`v1.2.3.4`), of an
 * e-mail address or of a URL (those are found first and take their span).
 */
const BARE_IPV4 = new RegExp(
  String.raw`(?<![0-9a-z.@_])${OCTET}(?:\.${OCTET}){3}(?![0-9a-z_]|\.\d)`,
  'gi',
);
/** A version number's label right before an address-like run (`version 1.2.3.4`, `版本 1.0.0.1`). */
const VERSION_BEFORE = /(?:version|ver\.?|版本|版)[ \t:：]*$/i;
/**
 * ipaddr.js ranges (IANA IPv4 Special-Purpose Address Registry) of addresses that name no one
 * host on the Internet: the same address is a different machine in every network (RFC 1918
 * private, CGNAT, link-local, loopback) or no machine at all (unspecified, broadcast, multicast).
 * A scam server is reached over the Internet, and an exact match on `192.168.1.1` would link
 * unrelated reports, so these are not `ip` indicators. Documentation ranges (`203.0.113.0/24`,
 * ipaddr.js `reserved`) are: each names one address, and examples and exercises use them.
 */
const NOT_AN_IP_INDICATOR: ReadonlySet<string> = new Set([
  'unspecified',
  'loopback',
  'broadcast',
  'multicast',
  'private',
  'linkLocal',
  'carrierGradeNat',
]);
const EMAIL = new RegExp(
  String.raw`(?<![a-z0-9._%+-])[a-z0-9_%+-](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@(?:${LABEL}\.){1,126}${TLD}${HOST_END}`,
  'gi',
);
const ETH = /(?<![0-9a-z])0x[0-9a-f]{40}(?![0-9a-z])/gi;
const BASE58_ADDRESS = /(?<![0-9a-z])[13T][1-9A-HJ-NP-Za-km-z]{25,34}(?![0-9a-z])/g;
const BECH32_ADDRESS = /(?<![0-9a-z])bc1[02-9ac-hj-np-z]{11,71}(?![0-9a-z])/gi;

const ACCOUNT_DIGITS = String.raw`\d(?:[ -]?\d){9,15}`;
const BANK_NAMES = [...TW_BANK_NAMES.keys()].join('|');
/** `(822)123456789012`, `（822）1234-5678-9012`. */
const BANK_PAREN = new RegExp(
  String.raw`(?<![0-9])[(（](\d{3})[)）][ \t:-]?(${ACCOUNT_DIGITS})(?![0-9])`,
  'g',
);
/** `822-123456789012` (known bank codes only). */
const BANK_HYPHEN = new RegExp(
  String.raw`(?<![0-9-])(\d{3})[-－](${ACCOUNT_DIGITS})(?![0-9-])`,
  'g',
);
/** `銀行代碼：822 帳號：…`, `中國信託 822 帳號 …`, `郵局帳號：…`. */
const BANK_KEYWORD = new RegExp(
  String.raw`(銀行代[碼码號号]|代[碼码號号]|銀行|bank|${BANK_NAMES})[^\d\n]{0,12}?(?:(\d{3})(?![0-9])[^\d\n]{0,16}?)?(?:帳號|帳戶|账号|账户|戶號|account)[^\d\n]{0,6}?(${ACCOUNT_DIGITS})(?![0-9])`,
  'gi',
);

/**
 * `LINE ID: abc_123`, `加LINE：@abc123`, `賴：abc123`, `line帳號 abc123`. Group 1 keyword, 2 the
 * `ID`/`帳號` word, 3 the separator, 4 the `@`, 5 the ID. Each run of blanks follows a token that
 * cannot be blank, so a run can be split only one way: adjacent `[ \t]*` (three of them when the
 * optional words are absent) made `line` + 1,000 spaces take seconds to fail, cubic in the run.
 */
const LINE_TEXT =
  /(?<![a-z0-9])(line|賴)[ \t]*(?:(id|帳號|账号|號碼|号码)[ \t]*)?(?:([:=＝]|是|為|为)[ \t]*)?(@[ \t]?)?([a-z0-9._-]{2,20})(?![a-z0-9._-])/gi;

/**
 * A run of digit groups with single separators, optionally led by `+`, `(0x)` or `（0x）`: where
 * phone numbers may be, handed to libphonenumber's own matcher (findPhones). The look-behind makes
 * each run start once and the groups cannot overlap, so matching is linear; at most 15 groups a
 * run keeps each matcher call small.
 */
const PHONE = /(?<![\w+./=%@#-])(?:\+ ?|[(（](?=0))?\d+(?:(?:[ .-]|[)）][ -]?)\d+){0,14}(?!\w)/g;

/** File extensions that are also TLDs: `setup.py`, `a.zip` are not domains unless they have a path. */
const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set([
  'zip',
  'mov',
  'py',
  'rs',
  'md',
  'sh',
  'pl',
  'so',
  'ps',
  'pm',
  'cs',
  'ts',
]);

/** Trims trailing punctuation and closing brackets that are not balanced inside the match. */
function trimUrlEnd(text: string, minLength: number): string {
  const pairs: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{', '>': '<' };
  const counts = new Map<string, number>();
  for (const char of text) {
    if ('()[]{}<>'.includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let end = text.length;
  while (end > minLength) {
    const last = text[end - 1] ?? '';
    const open = pairs[last];
    if (open === undefined) {
      if (!'.,;:!?\'"*~'.includes(last)) break;
    } else {
      const closes = counts.get(last) ?? 0;
      if ((counts.get(open) ?? 0) >= closes) break;
      counts.set(last, closes - 1);
    }
    end--;
  }
  return text.slice(0, end);
}

/** True when `host` ends in a public suffix from the PSL (not the `*` default rule). */
function hasKnownSuffix(host: string): boolean {
  const parsed = parseDomain(host, { allowPrivateDomains: true, validateHostname: false });
  return (parsed.isIcann === true || parsed.isPrivate === true) && parsed.domain !== null;
}

function looksLikeSentence(host: string): boolean {
  const labels = host.split('.');
  const tld = labels[labels.length - 1] ?? '';
  const before = labels[labels.length - 2] ?? '';
  // `there.How`: a capitalised word after a lower-case one is a missing space, not a domain.
  return /^[A-Z][a-z]+$/.test(tld) && /^[a-z0-9-]+$/.test(before);
}

class Collector {
  readonly found: Found[] = [];
  private readonly taken: Uint8Array;
  private readonly distinct = new Set<string>();
  private readonly limit: number;
  /** Candidates that may still be canonicalised. */
  private budget: number;

  constructor(length: number, limit: number) {
    this.taken = new Uint8Array(length + 1);
    this.limit = limit;
    this.budget = limit * WORK_PER_INDICATOR;
  }

  /** True once `limit` distinct indicators were found or the budget is spent: stop searching. */
  get done(): boolean {
    return this.distinct.size >= this.limit || this.budget <= 0;
  }

  /** Takes `units` of the budget for canonicalising a candidate; false when searching is done. */
  spend(units = 1): boolean {
    if (this.done) return false;
    this.budget -= units;
    return true;
  }

  /** Adds `found` unless its span overlaps an earlier, higher-priority one. */
  add(found: Found): boolean {
    for (let i = found.start; i < found.end; i++) if (this.taken[i] === 1) return false;
    this.taken.fill(1, found.start, found.end);
    this.push(found);
    return true;
  }

  /** Adds a second indicator for a span already taken (a LINE ID inside a LINE URL). */
  addDerived(found: Found): void {
    this.push(found);
  }

  private push(found: Found): void {
    this.found.push(found);
    this.distinct.add(`${found.type}\u0000${found.value}`);
  }

  overlaps(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i] === 1) return true;
    return false;
  }
}

/** The LINE ID that a LINE URL names, if any (`line.me/ti/p/~id`, `line.me/R/ti/p/@id`). */
export function lineIdFromUrl(parts: CanonicalUrlParts): string | null {
  if (parts.host === 'line.me' || parts.host === 'www.line.me') {
    const match = /^\/(?:r\/)?ti\/p\/([~@][^/?]+)/i.exec(parts.path);
    return match === null ? null : canonicalLineId(match[1] ?? '');
  }
  if (parts.host === 'page.line.me') {
    const match = /^\/([^/?]+)/.exec(parts.path);
    return match === null ? null : canonicalLineId('@' + (match[1] ?? '').replace(/^@/, ''));
  }
  return null;
}

function addUrl(collector: Collector, parts: CanonicalUrlParts, start: number, end: number): void {
  if (!collector.add({ type: 'url', value: formatCanonicalUrl(parts), start, end })) return;
  const lineId = lineIdFromUrl(parts);
  if (lineId !== null) collector.addDerived({ type: 'line_id', value: lineId, start, end });
}

/** Where each URL of a scheme URL match starts (NEXT_SCHEME), the first at 0. */
function urlStarts(match: string): number[] {
  const starts = [0];
  NEXT_SCHEME.lastIndex = match.indexOf('//') + 2;
  for (let next = NEXT_SCHEME.exec(match); next !== null; next = NEXT_SCHEME.exec(match)) {
    starts.push(next.index);
  }
  return starts;
}

function findSchemeUrls(text: string, collector: Collector): void {
  for (const match of text.matchAll(SCHEME_URL)) {
    const starts = urlStarts(match[0]);
    for (let i = 0; i < starts.length; i++) {
      if (!collector.spend()) return;
      const from = starts[i] ?? 0;
      const piece = match[0].slice(from, starts[i + 1] ?? match[0].length);
      const raw = trimUrlEnd(piece, piece.indexOf('//') + 2);
      const parts = canonicalUrlParts(raw);
      const start = match.index + from;
      if (parts !== null) addUrl(collector, parts, start, start + raw.length);
    }
  }
}

/** `match` up to the scheme that starts the next URL glued to it (NEXT_SCHEME), if any. */
function beforeNextScheme(match: string): string {
  NEXT_SCHEME.lastIndex = 0;
  const next = NEXT_SCHEME.exec(match);
  return next === null ? match : match.slice(0, next.index);
}

function findHostUrls(text: string, collector: Collector): void {
  for (const found of text.matchAll(HOST_URL)) {
    if (!collector.spend()) return;
    const written = beforeNextScheme(found[0]);
    const hostEnd = written.search(/[:/?#]/);
    const host = hostEnd < 0 ? written : written.slice(0, hostEnd);
    const rest = hostEnd < 0 ? '' : trimUrlEnd(written.slice(hostEnd), 0);
    const asciiHost = isAscii(host) ? host.toLowerCase() : domainToASCII(host.toLowerCase());
    if (asciiHost === '' || asciiHost.length > 253 || !hasKnownSuffix(asciiHost)) continue;
    const start = found.index;
    if (rest === '' || rest === ':') {
      const tld = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
      if (FILE_EXTENSION_TLDS.has(tld) || looksLikeSentence(host)) continue;
      collector.add({ type: 'domain', value: asciiHost, start, end: start + host.length });
      continue;
    }
    const parts = canonicalUrlParts('http://' + host + rest);
    if (parts !== null) addUrl(collector, parts, start, start + host.length + rest.length);
  }
  for (const match of text.matchAll(IPV4_URL)) {
    if (!collector.spend()) return;
    const raw = trimUrlEnd(beforeNextScheme(match[0]), 0);
    const parts = canonicalUrlParts('http://' + raw);
    if (parts !== null) addUrl(collector, parts, match.index, match.index + raw.length);
  }
}

/**
 * The `ip` indicator value of an IPv4 address (a dotted quad, as canonicalUrl gives a host), or
 * null when it is not one or lies in a range that names no one host on the Internet
 * (NOT_AN_IP_INDICATOR: private, CGNAT, link-local, loopback, unspecified, broadcast, multicast).
 */
export function ipIndicatorValue(address: string): string | null {
  // The shape test of isValidFourPartDecimal first: most names checked are host names, and
  // ipaddr's own validity test throws and catches an Error for each of them (the cost of a
  // lookup of a link never seen before was 7 % that).
  if (!FOUR_PART_DECIMAL.test(address) || !ipaddr.IPv4.isValidFourPartDecimal(address)) {
    return null;
  }
  const parsed = ipaddr.IPv4.parse(address);
  return NOT_AN_IP_INDICATOR.has(parsed.range()) ? null : parsed.toString();
}

/** ipaddr.js's four-part decimal shape (isValidFourPartDecimal): no octal, no hex, no short form. */
const FOUR_PART_DECIMAL = /^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/;

/**
 * Bare IPv4 addresses (BARE_IPV4) outside URLs and e-mail addresses, as `ip` indicators: public
 * and documentation addresses only (NOT_AN_IP_INDICATOR), not a version number.
 */
function findIps(text: string, collector: Collector): void {
  for (const match of text.matchAll(BARE_IPV4)) {
    if (collector.done) return;
    const end = match.index + match[0].length;
    if (collector.overlaps(match.index, end)) continue;
    if (VERSION_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
    if (!collector.spend()) return;
    const value = ipIndicatorValue(match[0]);
    if (value !== null) collector.add({ type: 'ip', value, start: match.index, end });
  }
}

function findEmails(text: string, collector: Collector): void {
  for (const match of text.matchAll(EMAIL)) {
    if (!collector.spend()) return;
    const domain = match[0].slice(match[0].lastIndexOf('@') + 1).toLowerCase();
    if (!hasKnownSuffix(domain)) continue;
    const value = match[0].toLowerCase();
    collector.add({ type: 'email', value, start: match.index, end: match.index + match[0].length });
  }
}

function findCryptoAddresses(text: string, collector: Collector): void {
  for (const pattern of [ETH, BECH32_ADDRESS, BASE58_ADDRESS]) {
    for (const match of text.matchAll(pattern)) {
      if (!collector.spend()) return;
      const address = canonicalCryptoAddress(match[0]);
      if (address === null) continue;
      const end = match.index + match[0].length;
      collector.add({ type: 'crypto_address', value: address.value, start: match.index, end });
    }
  }
}

function findBankAccounts(text: string, collector: Collector, region: CountryCode): void {
  const add = (code: string | undefined, account: string, start: number, end: number): void => {
    if (!collector.spend()) return;
    const value = canonicalBankAccount(code ?? '', account);
    if (value !== null) collector.add({ type: 'bank_account', value, start, end });
  };
  for (const match of text.matchAll(BANK_KEYWORD)) {
    if (collector.done) return;
    const keyword = match[1] ?? '';
    const code = match[2] ?? TW_BANK_NAMES.get(keyword) ?? TW_BANK_NAMES.get(keyword.toUpperCase());
    const account = match[3] ?? '';
    const codeAt = match[2] === undefined ? match.index : match.index + match[0].indexOf(match[2]);
    add(code, account, codeAt, match.index + match[0].length);
  }
  // `(009)886912345678` and `009-886-912345678`: an international call prefix that is also a bank
  // code, then a valid number with its country code, is a phone.
  // Only known bank codes in the hyphen form: `(123)…` is a code by its parentheses.
  const accountOrPhone = (
    match: RegExpMatchArray & { index: number },
    knownOnly: boolean,
  ): void => {
    if (knownOnly && !TW_BANK_CODES.has(match[1] ?? '')) return;
    if (!collector.spend()) return;
    const start = match.index;
    const end = start + match[0].length;
    const phone = internationalPhone(
      match[0].replace(/－/g, '-').replace(/[()（）]/g, ' '),
      region,
    );
    if (phone !== null) {
      collector.add({ type: 'phone', value: phone, start, end });
      return;
    }
    const value = canonicalBankAccount(match[1] ?? '', match[2] ?? '');
    if (value !== null) collector.add({ type: 'bank_account', value, start, end });
  };
  for (const [pattern, knownOnly] of [
    [BANK_PAREN, false],
    [BANK_HYPHEN, true],
  ] as const) {
    for (const match of text.matchAll(pattern)) {
      if (collector.done) return;
      accountOrPhone(match, knownOnly);
    }
  }
}

function findLineIds(text: string, collector: Collector): void {
  for (const match of text.matchAll(LINE_TEXT)) {
    if (!collector.spend()) return;
    const idWord = match[2] !== undefined;
    const separator = match[3] !== undefined;
    const official = match[4] !== undefined;
    const id = trimUrlEnd(match[5] ?? '', 1);
    const hasLetter = /[a-z]/i.test(id);
    const hasDigit = /[0-9]/.test(id);
    // Without `:`/`ID`/`@` only a token with letters and digits is taken (`LINE group` is not an
    // ID); after `賴` (also a surname) a separator or `@` is required.
    const explicit = separator || idWord || official;
    if (!explicit && (!hasLetter || !hasDigit || match[1] === '賴')) continue;
    const value = canonicalLineId((official ? '@' : '') + id);
    if (value === null) continue;
    const end = match.index + match[0].length - ((match[5] ?? '').length - id.length);
    const idStart = end - id.length - (official ? (match[4] ?? '').length : 0);
    collector.add({ type: 'line_id', value, start: idStart, end });
  }
}

/**
 * Phone numbers in each PHONE run, found by libphonenumber-js's matcher (findPhoneNumbersInText,
 * a port of libphonenumber's PhoneNumberMatcher at its default leniency, `valid`): candidates
 * follow the region's own numbering plan, so national numbers without a trunk prefix
 * (`513000001` in PL, `912345678` in TW) and numbers dialled with one of the region's
 * international call prefixes (`009-886-912345678`) are found, and numbers that are not valid
 * for their country are not.
 */
function findPhones(text: string, collector: Collector, region: CountryCode): void {
  for (const match of text.matchAll(PHONE)) {
    if (collector.done) return;
    if (collector.overlaps(match.index, match.index + match[0].length)) continue;
    // The matcher's work grows with the groups of a run (about 40–80 µs each): a run costs one
    // unit of the budget per group, so that thousands of digit groups cost no more than a
    // message's worth of numbers.
    const groups = match[0].split(/[ .)）-]+/).length;
    if (!collector.spend(groups)) return;
    const run = match[0].replace(/（/g, '(').replace(/）/g, ')');
    for (const found of phoneNumbersIn(run, region)) {
      if (collector.done) return;
      const start = match.index + found.start;
      const end = match.index + found.end;
      if (collector.overlaps(start, end)) continue;
      collector.add({ type: 'phone', value: found.value, start, end });
    }
  }
}

function toIndicators(
  input: string,
  normalized: NormalizedText,
  found: Found[],
  allOccurrences: boolean,
): Indicator[] {
  const order = (type: IndicatorType): number => INDICATOR_TYPES.indexOf(type);
  const sorted = [...found].sort((a, b) => a.start - b.start || order(a.type) - order(b.type));
  const seen = new Set<string>();
  const indicators: Indicator[] = [];
  for (const item of sorted) {
    const key = `${item.type}\u0000${item.value}`;
    if (seen.has(key) && !allOccurrences) continue;
    seen.add(key);
    const span = toInputSpan(normalized, item.start, item.end);
    indicators.push({
      type: item.type,
      value: item.value,
      raw: input.slice(span.start, span.end),
      start: span.start,
      end: span.end,
    });
  }
  return indicators;
}

/**
 * Finds every indicator in a free-text message (Traditional Chinese and English, as scam messages
 * are really written) and returns them in order of appearance, deduplicated by (type, value)
 * keeping the first occurrence. Never throws; linear in the length of `text`.
 *
 * Before matching, invisible characters (zero-width, bidi controls) are ignored, full-width forms
 * and `。`/`．` are folded to ASCII, and defanged spellings (`hxxp`, `[.]`, `(.)`, `{.}`, `[dot]`,
 * `http[:]//`) are restored; `raw`, `start` and `end` still point into the original `text`
 * (UTF-16 offsets). Values:
 * - `url`: canonicalUrl of a URL with a scheme, or of a scheme-less host with a port, path or query
 *   (`www.x.com/a`, `bit.ly/abc`, `x.com.tw/a`, `1.2.3.4/a`). No separate `domain` indicator is made
 *   for the host of a URL: callers use registrableDomain(url).
 * - `domain`: a bare host whose suffix is on the Public Suffix List, lower-case ASCII (punycode), as
 *   written (not reduced to eTLD+1). File names whose extension is also a TLD (`setup.py`) and
 *   missing spaces (`there.How`) are not domains. Hosts may hold Latin, Greek and Cyrillic letters
 *   (IDN homographs such as `www.adîdas.com`, given in punycode) but not CJK, and paths are ASCII:
 *   that is what keeps Chinese text glued on either side (`請點擊https://x.com/a，立即`) out.
 *   A host with only a port (`example.com:8080`) is a URL.
 *   A scheme inside a URL starts the next URL (`…/AAAhttp://t.cn/B` is two), except after
 *   `/ ? = & # % :` where a URL is part of another (`?url=http://…`); a doubled scheme
 *   (`http://http://t.cn/x`) is one URL (canonicalUrl).
 * - `ip`: a bare dotted-quad IPv4 address (`203.0.113.45`, defanged `203.0.113[.]45`), not inside a
 *   URL or e-mail address, not a longer dotted run (`10.0.19041.1`), a word (`v1.2.3.4`) or after
 *   `version`/`版本`; public and documentation addresses only (ipIndicatorValue: not private,
 *   CGNAT, link-local, loopback, unspecified, broadcast or multicast).
 * - `email`: lower-cased address with a PSL suffix.
 * - `phone`: E.164 (libphonenumber-js, `defaultRegion` default `TW`) of the numbers its matcher
 *   finds valid by the region's numbering plan: `0912-345-678`, `+886 912 345 678`,
 *   `(02)2345-6789`, `912345678`, `009-886-912345678` (an international call prefix of the region,
 *   even one that is also a bank code, followed by a valid number with its country code);
 *   `513000001 513000002` with region `PL` is two numbers.
 * - `line_id`: canonicalLineId of IDs written after `LINE`/`賴` (`加LINE：@abc123`, `LINE ID: abc_123`,
 *   `賴：abc123`) and of LINE URLs (`line.me/ti/p/~id`, `line.me/R/ti/p/@id`), which also give
 *   their `url`; `lin.ee/…` short links are only URLs.
 * - `crypto_address`: canonicalCryptoAddress (BTC Base58Check/bech32(m), ETH, TRON), checksums
 *   verified.
 * - `bank_account`: `CCC-NNNNNNNNNN` for Taiwan accounts written with a bank code or bank name:
 *   `(822)123456789012`, `822-123456789012`, `銀行代碼：822 帳號：…`, `郵局帳號：…`.
 * Where matches overlap the earlier kind in this order wins: URL, domain, email, IP address,
 * crypto address, bank account, LINE ID, phone. With `options.maxIndicators` the search stops at that many
 * distinct indicators (or its canonicalisation budget), kinds searched in that order. With
 * `options.allOccurrences` every occurrence is returned, not only the first of each indicator.
 */
export function extractIndicators(text: string, options: ExtractOptions = {}): Indicator[] {
  try {
    if (typeof text !== 'string' || text === '') return [];
    const normalized = normalizeForExtraction(text);
    const source = normalized.text;
    const collector = new Collector(source.length, options.maxIndicators ?? Infinity);
    const region = options.defaultRegion ?? DEFAULT_PHONE_REGION;
    findSchemeUrls(source, collector);
    findHostUrls(source, collector);
    findEmails(source, collector);
    findIps(source, collector);
    findCryptoAddresses(source, collector);
    findBankAccounts(source, collector, region);
    findLineIds(source, collector);
    findPhones(source, collector, region);
    return toIndicators(text, normalized, collector.found, options.allOccurrences === true);
  } catch {
    return [];
  }
}
