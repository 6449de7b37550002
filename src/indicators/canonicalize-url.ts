import { domainToASCII } from 'node:url';
import { removeInvisible } from '../shared/text.js';

/**
 * Safe Browsing v4 "URLs and Hashing" canonicalisation, written out by hand rather than on top of
 * WHATWG `new URL()`: the Safe Browsing form keeps hosts that WHATWG rejects (`%20leadingspace.com`,
 * `w!eird<>ho$^.com`, `host%23.com`) and rejects inputs WHATWG repairs (`http:///blah` has no host).
 *
 * The algorithm works on "byte strings": every char code is one UTF-8 byte (0–255), because the
 * specification is defined on bytes (percent-unescaping can produce any byte, valid UTF-8 or not).
 */

const SPECIAL_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ftp', 'ws', 'wss']);
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const TAB_CR_LF = /[\t\r\n]/g;
/** One or more further `scheme://` right after the first one; group 1 the innermost scheme. */
const DOUBLED_SCHEME = /^(?:(?:https?|ftp):[/\\]{2})*(https?|ftp):[/\\]{2}/i;
const MAX_HOST_BYTES = 4096;

/** The parts of a canonical URL (as returned by canonicalUrl). */
export interface CanonicalUrlParts {
  /** Lower-case scheme without `:`, e.g. `http`. */
  scheme: string;
  /** Lower-case ASCII host: a name (punycode), a dotted-quad IPv4 address or a bracketed IPv6 one. */
  host: string;
  /** Canonical path, always starting with `/`. */
  path: string;
  /** Query without the leading `?`; `null` when the URL has no `?`, `''` when it ends in `?`. */
  query: string | null;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** True when every UTF-16 unit of `text` is ASCII (< 0x80). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function fromCodes(codes: number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) {
    out += String.fromCharCode(...codes.slice(i, i + 8192));
  }
  return out;
}

/**
 * Percent-unescapes `bytes` until no `%XX` escape is left ("repeatedly percent-unescape the URL
 * until it has no more percent-escapes"). A stack reduction reaches the same fixpoint as repeated
 * whole-string passes but in linear time, so `%252525…` cannot make it quadratic.
 */
export function unescapeRepeatedly(bytes: string): string {
  if (bytes.indexOf('%') < 0) return bytes;
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    out.push(bytes.charCodeAt(i));
    let n = out.length;
    while (n >= 3 && out[n - 3] === 37) {
      const high = hexValue(out[n - 2] ?? 0);
      const low = hexValue(out[n - 1] ?? 0);
      if (high < 0 || low < 0) break;
      out.length = n - 3;
      out.push(high * 16 + low);
      n = out.length;
    }
  }
  return fromCodes(out);
}

const HEX_DIGITS = '0123456789ABCDEF';

/** Escapes bytes <= 0x20, >= 0x7F, `#`, `%` (the specification's set) plus `extra` ASCII chars. */
function escapeBytes(bytes: string, extra: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    const code = bytes.charCodeAt(i);
    if (
      code <= 0x20 ||
      code >= 0x7f ||
      code === 0x23 ||
      code === 0x25 ||
      extra.includes(bytes[i] ?? '')
    ) {
      out += bytes.slice(from, i) + '%' + HEX_DIGITS[code >> 4] + HEX_DIGITS[code & 15];
      from = i + 1;
    }
  }
  return from === 0 ? bytes : out + bytes.slice(from);
}

/**
 * One part of an IPv4 address by the WHATWG URL Standard's "IPv4 number parser": `0x`/`0X` hex
 * (`0x` alone is 0), a leading `0` octal, else decimal; any length (`0x0000078` is 120). Returns
 * -1 when the part is not a number. Values above 2^32 may lose precision but stay above 2^32,
 * which is all the caller compares them with.
 */
function parseIpv4Part(part: string): number {
  if (part === '') return -1;
  let digits = part;
  let radix = 10;
  if (part.length >= 2 && part[0] === '0' && (part[1] === 'x' || part[1] === 'X')) {
    digits = part.slice(2);
    radix = 16;
  } else if (part.length >= 2 && part[0] === '0') {
    digits = part.slice(1);
    radix = 8;
  }
  if (digits === '') return 0;
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return -1;
  // Leading zeros do not change the value; dropping them keeps parseInt exact for long parts.
  const value = parseInt(digits.replace(/^0+(?=.)/, ''), radix);
  return Number.isFinite(value) ? value : 2 ** 53;
}

/**
 * True when `host` "ends in a number" (WHATWG URL Standard, host parsing): its last label (a
 * trailing empty label ignored) is all ASCII digits or a `0x` hex number. Such a host is an IPv4
 * address or invalid; it is never a domain name.
 */
export function endsInNumber(host: string): boolean {
  let end = host.length;
  if (end > 1 && host.charCodeAt(end - 1) === 0x2e) end--;
  const start = host.lastIndexOf('.', end - 1) + 1;
  if (start >= end) return false;
  let digits = true;
  for (let i = start; i < end && digits; i++) {
    const code = host.charCodeAt(i);
    digits = code >= 0x30 && code <= 0x39;
  }
  if (digits) return true;
  // `0x` and hex digits (`0x` alone is the number 0).
  if (
    end - start < 2 ||
    host[start] !== '0' ||
    (host[start + 1] !== 'x' && host[start + 1] !== 'X')
  ) {
    return false;
  }
  for (let i = start + 2; i < end; i++) if (hexValue(host.charCodeAt(i)) < 0) return false;
  return true;
}

/**
 * Parses a host as an IPv4 address by the WHATWG URL Standard's IPv4 parser (what browsers
 * and `new URL()` do: decimal, octal `0…`, hex `0x…`, one to four parts, parts of any length,
 * the last part filling the remaining bytes) and returns it as a dotted quad; `null` when it is
 * not one. Whether a host that is not an address is invalid is endsInNumber's question.
 */
export function parseIpv4(host: string): string | null {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Part(part);
    if (value < 0) return null;
    values.push(value);
  }
  const last = values.pop() ?? 0;
  if (values.some((value) => value > 255)) return null;
  if (last >= 256 ** (5 - parts.length)) return null;
  let address = last;
  values.forEach((value, index) => {
    address += value * 256 ** (3 - index);
  });
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

/**
 * The canonical text of an IPv6 literal (with its brackets), or `null` when it is not one by the
 * WHATWG URL Standard's IPv6 parser (Node's own `new URL()`; zone IDs are refused, as browsers
 * do). The form is RFC 5952 §4: lower-case hex, leading zeros dropped, the longest run of two
 * or more zero groups (the first on a tie) compressed to `::`; IPv4-mapped (`::ffff:0:0/96`) and
 * IPv4-compatible (`::/96` beyond `::ffff`) addresses end in dotted decimal as §5 recommends
 * (`[::ffff:192.0.2.1]`, Safe Browsing's `[::192.9.5.5]`). One address, one spelling.
 */
export function canonicalIpv6(literal: string): string | null {
  if (!/^\[[0-9a-fA-F:.]+\]$/.test(literal)) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${literal}/`).hostname;
  } catch {
    return null;
  }
  // WHATWG serialises in hex with `::` compression (RFC 5952 §4.2); expand it to eight groups.
  const inner = hostname.slice(1, -1);
  const [head = '', tail] = inner.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [
    ...left,
    ...Array<string>(8 - left.length - right.length).fill('0'),
    ...right,
  ].map((group) => parseInt(group, 16));
  if (groups.length !== 8 || groups.some((group) => !(group >= 0 && group <= 0xffff))) return null;
  const high = groups.slice(0, 5).every((group) => group === 0);
  const mapped = high && groups[5] === 0xffff;
  const compatible = high && groups[5] === 0 && (groups[6] ?? 0) !== 0;
  if (!mapped && !compatible) return hostname;
  const six = groups[6] ?? 0;
  const seven = groups[7] ?? 0;
  const quad = `${six >> 8}.${six & 255}.${seven >> 8}.${seven & 255}`;
  return mapped ? `[::ffff:${quad}]` : `[::${quad}]`;
}

/**
 * True when `host` (escaped as canonicalHost leaves it) has the shape of a DNS name: non-empty
 * labels of letters, digits, `_` and `-` (host names as DNS and browsers resolve them), at most
 * 63 bytes each and 253 in all. Safe Browsing's vectors keep `w!eird<>ho$^.com` and `%01%80.com`
 * as hosts; scamnet does not (issue 19: a host name or nothing).
 */
function isHostName(host: string): boolean {
  return host.length <= 253 && /^[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*$/.test(host);
}

function decodeUtf8(bytes: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes, 'latin1'));
  } catch {
    return null;
  }
}

/**
 * Canonical host from the raw (still escaped) host bytes; `null` when nothing is left or it is
 * not a host: a host that ends in a number (WHATWG) must be an IPv4 address, which becomes a
 * dotted quad (`0x0000078.0000000000220.171.205` → `120.144.171.205`; `4294967296` and
 * `255.255.65536` are refused, as `new URL()` refuses them); an IPv6 literal takes canonicalIpv6's
 * form; a name must pass isHostName.
 */
function canonicalHost(rawHost: string, schemeless: boolean): string | null {
  if (rawHost.startsWith('[')) return canonicalIpv6(rawHost);
  // Most hosts are already canonical: a lower-case name that does not end in a number.
  if (isHostName(rawHost) && !endsInNumber(rawHost)) {
    return !schemeless || isPlausibleSchemelessHost(rawHost) ? rawHost : null;
  }
  let host = unescapeRepeatedly(rawHost);
  if (host.length > MAX_HOST_BYTES) return null;
  if (!isAscii(host)) {
    // A non-ASCII name becomes punycode (UTS #46 mapping also folds full-width letters and the
    // ideographic full stop); bytes that are not UTF-8, or a name that converts with ASCII
    // punctuation (`店家.com.tw,某店家也已經出面回應`, a sentence glued to a host), name no host.
    const decoded = decodeUtf8(host);
    host = decoded === null ? '' : domainToASCII(decoded);
  }
  host = host.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  host = host.replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '');
  if (host === '') return null;
  if (schemeless && !isPlausibleSchemelessHost(host)) return null;
  if (endsInNumber(host)) return parseIpv4(host);
  return isHostName(host) ? host : null;
}

/** A path of non-empty segments of bytes canonicalPath leaves as they are (no `%`, `\\`, `?`). */
const CANONICAL_PATH = /^(?:\/[!"$&-.0-;=@-[\]-~]+)+\/?$|^\/$/;
/** A `.` or `..` segment. */
const DOT_SEGMENT = /\/\.{1,2}(?:\/|$)/;

/** Canonical path: unescaped, `.`/`..` resolved, runs of `/` collapsed, then re-escaped. */
function canonicalPath(rawPath: string): string {
  // Most paths are already canonical: no escapes, dot segments, empty segments or bytes to escape.
  if (CANONICAL_PATH.test(rawPath) && !DOT_SEGMENT.test(rawPath)) return rawPath;
  const path = unescapeRepeatedly(rawPath.replace(/\\/g, '/'));
  const stack: string[] = [];
  const segments = path.split('/');
  let trailingSlash = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const last = i === segments.length - 1;
    if (segment === '' || segment === '.') {
      if (last) trailingSlash = true;
    } else if (segment === '..') {
      stack.pop();
      if (last) trailingSlash = true;
    } else {
      stack.push(segment);
    }
  }
  if (stack.length === 0) return '/';
  // `?` is escaped inside the path so that an unescaped `%3F` cannot turn into a query separator.
  return escapeBytes('/' + stack.join('/') + (trailingSlash ? '/' : ''), '?\\');
}

function isPlausibleSchemelessHost(host: string): boolean {
  const labels = host.split('.');
  if (labels.length < 2) return false;
  const last = labels[labels.length - 1] ?? '';
  return /[^0-9]/.test(last) || /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

function canonicalizeBytes(input: string, depth: number): CanonicalUrlParts | null {
  let text = input.replace(TAB_CR_LF, '');
  let first = 0;
  let last = text.length;
  while (first < last && text.charCodeAt(first) <= 0x20) first++;
  while (last > first && text.charCodeAt(last - 1) <= 0x20) last--;
  text = text.slice(first, last);
  const hash = text.indexOf('#');
  if (hash >= 0) text = text.slice(0, hash);
  if (text === '') return null;

  let scheme = 'http';
  let rest = text;
  let schemeless = true;
  const match = SCHEME.exec(text);
  if (match !== null) {
    const name = (match[1] ?? '').toLowerCase();
    const after = text.slice(match[0].length);
    if (/^[/\\]{2}/.test(after) && (SPECIAL_SCHEMES.has(name) || after.startsWith('//'))) {
      scheme = name;
      rest = after.slice(2);
      schemeless = false;
      // `http://http://t.cn/x`, `http://https://x.com/`: a scheme written twice (a form or a CMS
      // put one before a full URL) is one URL, with the innermost scheme.
      const doubled = DOUBLED_SCHEME.exec(rest);
      if (doubled !== null) {
        scheme = (doubled[1] ?? scheme).toLowerCase();
        rest = rest.slice(doubled[0].length);
      }
    } else if (!/^[0-9]+(?:[/\\?]|$)/.test(after)) {
      // `mailto:…`, `javascript:…`: no host. (`host:8080/x` falls through as a scheme-less host.)
      return null;
    }
  } else if (depth === 0 && text.includes('%')) {
    // `http%3A%2F%2Fhost/`: the whole URL was escaped once more.
    const unescaped = unescapeRepeatedly(text);
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(unescaped)) return canonicalizeBytes(unescaped, 1);
  }
  if (schemeless) {
    if (/\s/.test(text)) return null;
    if (rest.startsWith('//')) rest = rest.slice(2);
  }

  const authorityEnd = rest.search(/[/\\?]/);
  let authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const pathAndQuery = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    if (schemeless) return null;
    authority = authority.slice(at + 1);
  }
  let rawHost = authority;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    rawHost = close < 0 ? authority : authority.slice(0, close + 1);
  } else {
    const colon = authority.indexOf(':');
    if (colon >= 0) {
      if (schemeless && !/^[0-9]*$/.test(authority.slice(colon + 1))) return null;
      rawHost = authority.slice(0, colon);
    }
  }
  const host = canonicalHost(rawHost, schemeless);
  if (host === null) return null;

  const questionMark = pathAndQuery.indexOf('?');
  const rawPath = questionMark < 0 ? pathAndQuery : pathAndQuery.slice(0, questionMark);
  const rawQuery = questionMark < 0 ? null : pathAndQuery.slice(questionMark + 1);
  return {
    scheme,
    host,
    path: canonicalPath(rawPath),
    query: rawQuery === null ? null : escapeBytes(unescapeRepeatedly(rawQuery), ''),
  };
}

/** Joins canonical parts back into a canonical URL string. */
export function formatCanonicalUrl(parts: CanonicalUrlParts): string {
  return `${parts.scheme}://${parts.host}${parts.path}${parts.query === null ? '' : '?' + parts.query}`;
}

/**
 * Canonicalises a URL to the Google Safe Browsing v4 "URLs and Hashing" canonical form and
 * returns its parts; `null` when it has no valid host. Never throws. See canonicalUrl.
 */
export function canonicalUrlParts(input: string | Uint8Array): CanonicalUrlParts | null {
  try {
    // Invisible characters (Default_Ignorable_Code_Point: zero-width, tag characters, variation
    // selectors, …) are removed from a string first, as from any text matched; raw bytes are
    // the specification's vectors and stay as they are.
    const bytes =
      typeof input === 'string'
        ? isAscii(input)
          ? input
          : Buffer.from(removeInvisible(input), 'utf8').toString('latin1')
        : Buffer.from(input).toString('latin1');
    return canonicalizeBytes(bytes, 0);
  } catch {
    return null;
  }
}

/**
 * Canonicalises `input` to the Google Safe Browsing v4 "URLs and Hashing" canonical form:
 * tab/CR/LF removed, surrounding whitespace trimmed, fragment dropped, host and path
 * percent-unescaped until stable; host lower-cased, dots trimmed and collapsed, IPv4 in any
 * encoding normalised to a dotted quad, IDN to punycode; path `.`/`..` resolved and `//` collapsed;
 * then bytes <= 0x20, >= 0x7F, `#` and `%` re-escaped as `%XX`. A missing scheme means `http://`.
 *
 * Deviations, all documented choices: the port is dropped (Mozilla's suite, which wins over the
 * v2/v3 text); the query is kept (the documentation; the Go client drops it); `?` in the path is
 * also escaped so that the result is idempotent; a scheme-less input must look like a host (no whitespace, no user-info, at least two labels, not only digits).
 * Hosts follow the WHATWG URL Standard where Safe Browsing is silent or older: a host that ends in
 * a number is an IPv4 address by the WHATWG parser (parts of any length) or no host (`4294967296`,
 * `255.255.65536` give null); an IPv6 literal takes its RFC 5952 form (canonicalIpv6); a name is
 * a host name or null: labels of letters, digits, `_` and `-`, at most 63 bytes, names at most 253
 * (Safe Browsing keeps `w!eird<>ho$^.com`, `%01%80.com`, `%20leadingspace.com`; scamnet gives null). A scheme
 * written twice (`http://http://t.cn/x`) is one URL with the innermost scheme. In a string input
 * invisible characters (Default_Ignorable_Code_Point, U+FFF9–U+FFFB) are removed first.
 *
 * `input` is a string, or raw bytes (Uint8Array) for byte-exact vectors that are not valid UTF-8.
 * Returns `null` when there is no valid host (`''`, `'http://'`, `'hello world'`, `'mailto:…'`);
 * never throws.
 */
export function canonicalUrl(input: string | Uint8Array): string | null {
  const parts = canonicalUrlParts(input);
  return parts === null ? null : formatCanonicalUrl(parts);
}

/**
 * Splits a string that canonicalUrl returned back into its parts without re-canonicalising it;
 * `null` if `canonical` is not in that form.
 */
export function splitCanonicalUrl(canonical: string): CanonicalUrlParts | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)(\/[^?]*)(?:\?(.*))?$/s.exec(canonical);
  if (match === null) return null;
  return {
    scheme: match[1] ?? '',
    host: match[2] ?? '',
    path: match[3] ?? '/',
    query: match[4] ?? null,
  };
}
