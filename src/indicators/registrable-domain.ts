import { domainToASCII, domainToUnicode } from 'node:url';
import { getDomain } from 'tldts';
import { canonicalUrlParts, endsInNumber, isAscii } from './canonicalize-url.js';

const TLDTS_OPTIONS = { allowPrivateDomains: true, validateHostname: false } as const;

/**
 * Returns the registrable domain (eTLD+1) of a bare host or of a URL, by the Public Suffix List
 * (ICANN and private sections, through tldts), or `null` when there is none: a public suffix
 * itself (`com`, `公司.cn`, `uk.com`), a single label, a leading dot (`.example.com`), an IP
 * address, or a URL without a valid host. Unlisted TLDs follow the PSL default rule `*`
 * (`b.example.example` → `example.example`), as the PSL's own tests expect.
 *
 * A URL (anything with `/ : ? # @`) is canonicalised first (canonicalUrl), so the answer is ASCII.
 * A bare host keeps the form it was written in, lower-cased, like the PSL tests: a Unicode IDN
 * answers in Unicode and its punycode spelling in punycode, and both name the same domain
 * (the Unicode answer is computed from the punycode one). Never throws.
 */
export function registrableDomain(hostOrUrl: string): string | null {
  try {
    const trimmed = hostOrUrl.trim();
    if (trimmed === '' || trimmed.startsWith('.')) return null;
    if (/[/:?#@\\]/.test(trimmed)) {
      const parts = canonicalUrlParts(trimmed);
      if (parts === null || parts.host.startsWith('[') || endsInNumber(parts.host)) return null;
      return domainOf(parts.host);
    }
    const host = trimmed.replace(/\.$/, '').toLowerCase();
    if (isAscii(host)) return domainOf(host);
    const ascii = domainToASCII(host);
    if (ascii === '') return null;
    const domain = domainOf(ascii);
    return domain === null ? null : domainToUnicode(domain);
  } catch {
    return null;
  }
}

/**
 * The registrable domain of a lower-case ASCII host, or null when the host is not a DNS name
 * (labels of letters, digits, `-` and `_`, at most 63 bytes each: `com.tw,某店家…` is not one) or
 * ends in a number (an IPv4 address, or invalid: `255.65536`).
 */
function domainOf(host: string): string | null {
  if (host.length > 253 || endsInNumber(host)) return null;
  if (!host.split('.').every((label) => /^[a-z0-9_-]{1,63}$/.test(label))) return null;
  return getDomain(host, TLDTS_OPTIONS);
}
