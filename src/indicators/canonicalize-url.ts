import { domainToASCII } from 'node:url';

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

/** Converts a JavaScript string to a byte string of its UTF-8 encoding (ASCII fast path). */
function toByteString(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.from(text, 'utf8').toString('latin1');
  }
  return text;
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

function parseIpv4Part(part: string): number {
  if (part === '' || part.length > 12) return -1;
  if (/^0[xX][0-9a-fA-F]*$/.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]*$/.test(part)) return parseInt(part, 8);
  if (/^[1-9][0-9]*$/.test(part)) return parseInt(part, 10);
  return -1;
}

/**
 * Parses a host as an IPv4 address in any legal inet_aton encoding (decimal, octal `0…`, hex `0x…`,
 * fewer than four parts) and returns it as a dotted quad; `null` when it is not one.
 */
export function parseIpv4(host: string): string | null {
  const parts = host.split('.');
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

function decodeUtf8(bytes: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes, 'latin1'));
  } catch {
    return null;
  }
}

/** Canonical host from the raw (still escaped) host bytes; `null` when nothing is left. */
function canonicalHost(rawHost: string, schemeless: boolean): string | null {
  if (rawHost.startsWith('[')) {
    return /^\[[0-9a-fA-F:.]+\]$/.test(rawHost) ? rawHost.toLowerCase() : null;
  }
  let host = unescapeRepeatedly(rawHost);
  if (host.length > MAX_HOST_BYTES) return null;
  if (!isAscii(host)) {
    // A non-ASCII name becomes punycode (UTS #46 mapping also folds full-width letters and the
    // ideographic full stop); bytes that are not a valid name stay bytes and get escaped.
    const decoded = decodeUtf8(host);
    const ascii = decoded === null ? '' : domainToASCII(decoded);
    if (ascii !== '') host = ascii;
  }
  host = host.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  host = host.replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '');
  if (host === '') return null;
  if (schemeless && !isPlausibleSchemelessHost(host)) return null;
  const ipv4 = parseIpv4(host);
  if (ipv4 !== null) return ipv4;
  // `/ ? @ : \ [ ]` are escaped too so that the output parses back to the same host (idempotence).
  return escapeBytes(host, '/?@:\\[]');
}

/** Canonical path: unescaped, `.`/`..` resolved, runs of `/` collapsed, then re-escaped. */
function canonicalPath(rawPath: string): string {
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
    const bytes =
      typeof input === 'string' ? toByteString(input) : Buffer.from(input).toString('latin1');
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
 * v2/v3 text); the query is kept (the documentation; the Go client drops it); `?` in the path and
 * `/ ? @ : \ [ ]` in the host are also escaped so that the result is idempotent; a scheme-less input
 * must look like a host (no whitespace, no user-info, at least two labels, not only digits).
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
