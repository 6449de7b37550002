/** How a pasted query is looked up: as a URL (`?url=`) or as message text (`?q=`). */
export interface ClassifiedQuery {
  kind: 'url' | 'text';
  /** What is sent: for a bare domain, `http://` is prefixed so the server can parse it as a URL. */
  value: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// host (letters of any script, digits, hyphens; at least one dot; a TLD that is not all digits),
// optional port, optional path/query. Covers `example.com`, `www.例子.台灣/x`, `xn--p1ai.xn--p1ai`.
const BARE_DOMAIN =
  /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?\.)+(?:[\p{L}]{2,63}|xn--[a-z0-9-]{1,59})\.?(?::\d{1,5})?(?:[/?#]\S*)?$/iu;

/**
 * Decides whether a pasted query is a link or a message. A single token that parses as an
 * http(s) URL, or looks like a domain name (optionally with a path), is a URL; anything else —
 * including a message that merely contains a link — is text (the server extracts links from text).
 */
export function classifyQuery(raw: string): ClassifiedQuery {
  const value = raw.trim();
  if (value === '' || /\s/.test(value)) return { kind: 'text', value };
  if (SCHEME.test(value)) {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'url', value };
    } catch {
      // not a URL after all
    }
    return { kind: 'text', value };
  }
  if (BARE_DOMAIN.test(value)) return { kind: 'url', value: `http://${value}` };
  return { kind: 'text', value };
}

/**
 * Formats an ISO 8601 instant as a date and time in Taiwan (Asia/Taipei), in the UI language.
 * Returns the input unchanged if it is not a valid date.
 */
export function formatTaipeiTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, {
    timeZone: 'Asia/Taipei',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}
