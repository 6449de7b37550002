import { splitCanonicalUrl } from './canonicalize-url.js';

/*
 * RFC 3986 §2–§3 character classes for each component. A Safe Browsing canonical URL keeps
 * printable ASCII that the URI grammar does not allow (`"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`,
 * `}`, and `[`/`]` outside an IPv6 literal); a field whose format is `uri` (JSON Schema `format:
 * uri`, STIX `url:value`, X-ARF `url`) must carry the percent-encoded form.
 */
const UNRESERVED_SUB_DELIMS = "A-Za-z0-9\\-._~!$&'()*+,;=";
const NOT_REG_NAME = new RegExp(`[^${UNRESERVED_SUB_DELIMS}]`, 'g');
const NOT_PATH = new RegExp(`[^${UNRESERVED_SUB_DELIMS}:@/]`, 'g');
const NOT_QUERY = new RegExp(`[^${UNRESERVED_SUB_DELIMS}:@/?]`, 'g');
const PCT_ESCAPE = /%[0-9A-Fa-f]{2}/y;

function encodeComponent(text: string, disallowed: RegExp): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    PCT_ESCAPE.lastIndex = i;
    if (PCT_ESCAPE.test(text)) {
      out += text.slice(i, i + 3);
      i += 3;
      continue;
    }
    const ch = text.charAt(i);
    disallowed.lastIndex = 0;
    out += disallowed.test(ch) ? percentEncode(ch) : ch;
    i += 1;
  }
  return out;
}

function percentEncode(ch: string): string {
  let out = '';
  for (const byte of Buffer.from(ch, 'utf8')) {
    out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The RFC 3986 URI form of a canonical URL (as canonicalUrl returns it): every character that the
 * URI grammar does not allow in its component is percent-encoded as UTF-8 (`%XX`, upper-case hex);
 * existing `%XX` escapes, an IPv6 literal host in brackets and the port are kept. Use it for any
 * output field whose format is `uri` (STIX `url:value`, X-ARF `url`, MISP `url`). Idempotent.
 * Returns null when `canonical` is not a canonical URL (splitCanonicalUrl cannot split it).
 */
export function rfc3986Uri(canonical: string): string | null {
  const parts = splitCanonicalUrl(canonical);
  if (parts === null) return null;
  const hostPort = /^(\[[0-9a-f:.]+\]|[^:]*)(:\d*)?$/i.exec(parts.host);
  if (hostPort === null) return null;
  const host = hostPort[1] ?? '';
  const port = hostPort[2] ?? '';
  const encodedHost = host.startsWith('[') ? host : encodeComponent(host, NOT_REG_NAME);
  const path = encodeComponent(parts.path, NOT_PATH);
  const query = parts.query === null ? '' : `?${encodeComponent(parts.query, NOT_QUERY)}`;
  return `${parts.scheme}://${encodedHost}${port}${path}${query}`;
}
