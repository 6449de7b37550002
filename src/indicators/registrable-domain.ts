import { domainToASCII, domainToUnicode } from 'node:url';
import { getDomain } from 'tldts';
import { canonicalUrlParts, isAscii, parseIpv4 } from './canonicalize-url.js';

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
      if (parts === null || parts.host.startsWith('[') || parseIpv4(parts.host) !== null) {
        return null;
      }
      return getDomain(parts.host, TLDTS_OPTIONS);
    }
    const host = trimmed.replace(/\.$/, '').toLowerCase();
    if (isAscii(host)) {
      if (parseIpv4(host) !== null) return null;
      return getDomain(host, TLDTS_OPTIONS);
    }
    const ascii = domainToASCII(host);
    if (ascii === '') return null;
    const domain = getDomain(ascii, TLDTS_OPTIONS);
    return domain === null ? null : domainToUnicode(domain);
  } catch {
    return null;
  }
}
