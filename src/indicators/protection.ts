import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { matchKey, platformOf } from '../indicators/index.js';

import { DEFAULT_PROTECTED_DOMAINS } from '../config/index.js';
/**
 * The named rules of the protection guard, in the order they are tried:
 * - `invalid_domain`: not a DNS host name (RFC 1035 letters, digits, hyphens, `_`; ≤ 63 octets per
 *   label, ≤ 253 in all; no empty label, no `*`) — nothing to block;
 * - `ip_address`: an IPv4/IPv6 literal (RPZ QNAME triggers name domains, not addresses);
 * - `rpz_label`: a label starting with `rpz-` anywhere in the name. In an RPZ zone such labels
 *   are not names but triggers and actions (draft-vixie-dnsop-dns-rpz-00 §4: `rpz-ip`,
 *   `rpz-nsip`, `rpz-nsdname`, `rpz-client-ip`; §3: `rpz-passthru`, `rpz-drop`, `rpz-tcp-only`;
 *   the prefix is reserved for more), so `1.0.0.0.0.rpz-ip` would block every address and
 *   `org.rpz-nsdname` every domain served from under `.org`;
 * - `unknown_tld`: not under a top-level domain of the Public Suffix List (ICANN or private
 *   section) — no site can be registered there, and the name may be anything — or under `.arpa`,
 *   the infrastructure TLD of reverse lookups (`in-addr.arpa`, `ip6.arpa`) and ENUM;
 * - `public_suffix`: the name is itself a Public Suffix List entry (`com.tw`, `github.io`,
 *   `blogspot.com`): blocking it blocks every site registered under its operator;
 * - `platform`: a platform that carries everyone's content (facebook.com, line.me, …);
 * - `shortener`: a link shortener (bit.ly, reurl.cc, …);
 * - `government`: under a government, military or education suffix (`*.gov.tw`, `*.gov`,
 *   `*.mil`, `*.edu.tw`, `*.go.jp`, …);
 * - `protected_domain`: the shipped or configured protected list (banks, payment, telecom, shops,
 *   agencies), or anything under one of them.
 */
export const PROTECTION_RULES = [
  'invalid_domain',
  'ip_address',
  'rpz_label',
  'unknown_tld',
  'public_suffix',
  'platform',
  'shortener',
  'government',
  'protected_domain',
] as const;
export type ProtectionRule = (typeof PROTECTION_RULES)[number];

/**
 * Raise by one whenever a rule of blockRefusal changes what it accepts (shipped lists of
 * platforms, shorteners and government suffixes included): the RPZ zone's versions record it
 * (with the Public Suffix List's version, see protectionRulesVersion), so secondaries take the
 * zone re-checked under the new rules by AXFR instead of an IXFR from a journal written under the
 * old ones.
 */
const PROTECTION_RULES_REVISION = 2;

/** The installed tldts (Public Suffix List snapshot) version, read once. */
const PSL_VERSION: string = (() => {
  const pkg: unknown = createRequire(import.meta.url)('tldts/package.json');
  return typeof pkg === 'object' &&
    pkg !== null &&
    'version' in pkg &&
    typeof pkg.version === 'string'
    ? pkg.version
    : 'unknown';
})();

/**
 * The version of the guard's rules and data: `r<revision>+tldts@<version>`. Two processes with the
 * same version and the same protected list accept exactly the same names.
 */
export function protectionRulesVersion(): string {
  return `r${PROTECTION_RULES_REVISION}+tldts@${PSL_VERSION}`;
}

/** Why the guard refuses a domain: the rule, what it matched, and a sentence for people. */
export interface ProtectionRefusal {
  readonly rule: ProtectionRule;
  /** The suffix, platform domain or protected domain that matched (or the input itself). */
  readonly matched: string;
  /** English explanation naming the rule, e.g. `platform: facebook.com carries everyone's content`. */
  readonly message: string;
}

/**
 * First labels of public suffixes that only governments, armed forces and schools register under
 * (`gov.tw`, `go.jp`, `gouv.fr`, `gob.mx`, `gv.at`, `mil.tw`, `edu.tw`, …), and the generic TLDs
 * reserved to them.
 */
const GOVERNMENT_SUFFIX_LABELS: ReadonlySet<string> = new Set([
  'gov',
  'govt',
  'go',
  'gob',
  'gouv',
  'gv',
  'mil',
  'edu',
]);
const GOVERNMENT_TLDS: ReadonlySet<string> = new Set(['gov', 'mil', 'edu', 'int']);

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * The lower-case ASCII form of a domain to block: a bare host or a URL's host, IDNs converted to
 * punycode (UTS #46 via node:url), the trailing dot removed. Returns null when the result is not a
 * DNS host name (labels of letters, digits, `-`, `_`, ≤ 63 octets; ≤ 253 octets in all; at least
 * two labels) or is an IP address literal.
 */
export function normalizeBlockDomain(input: string): string | null {
  let host = input.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) {
    try {
      host = new URL(host).hostname;
    } catch {
      return null;
    }
  }
  host = host.replace(/\.$/, '');
  if (host === '' || /[\s/:@?#[\]]/.test(host)) return null;
  if (!/^[\x20-\x7e]*$/.test(host)) host = domainToASCII(host);
  if (host === '' || host.length > 253) return null;
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  if (parseDomain(host).isIp === true) return null;
  return host;
}

/**
 * Why a domain must never be treated as a scam site as a whole — matched for every URL under it
 * (case linking, site-wide indexing), blocked in the RPZ zone and the feeds — or `null` when it
 * may be. Applies the site rules of PROTECTION_RULES (`invalid_domain`, `ip_address`,
 * `public_suffix`, `platform`, `shortener`, `government`, `protected_domain`) in order and names
 * the first that matches, so a single scam post on facebook.com can never block facebook.com.
 * Blocking applies blockRefusal, which adds the DNS rules (`rpz_label`, `unknown_tld`).
 * @param domain a host, registrable domain or URL (any case, IDN or punycode).
 * @param protectedDomains registrable domains or suffixes to protect, lower-case ASCII; defaults
 *   to DEFAULT_PROTECTED_DOMAINS (deployments add theirs through BLOCKLIST_PROTECTED_DOMAINS).
 */
export function siteWideRefusal(
  domain: string,
  protectedDomains: readonly string[] = DEFAULT_PROTECTED_DOMAINS,
): ProtectionRefusal | null {
  const checked = hostOf(domain);
  return 'rule' in checked ? checked : siteRefusal(checked.host, protectedDomains);
}

/**
 * Why `domain` may not be blocked by name — become a QNAME trigger of the RPZ zone
 * (draft-vixie-dnsop-dns-rpz-00 §4.1) or a line of the domain feeds — or `null` when it may:
 * every rule of PROTECTION_RULES in order, naming the first that matches. Only a DNS host name
 * under a TLD of the Public Suffix List (ICANN or private section), with no RPZ special label
 * (`rpz-*`) and not itself a public suffix, passes, and then only if siteWideRefusal accepts it.
 * Every way into the blocklist applies it (API, CLI and 165 imports, case proposals,
 * activation), and the zone applies it again to every entry each time it is rendered.
 * @param domain a host, registrable domain or URL (any case, IDN or punycode).
 * @param protectedDomains as for siteWideRefusal (the configured list).
 */
export function blockRefusal(
  domain: string,
  protectedDomains: readonly string[] = DEFAULT_PROTECTED_DOMAINS,
): ProtectionRefusal | null {
  const checked = hostOf(domain);
  if ('rule' in checked) return checked;
  const { host } = checked;
  const special = host.split('.').find((label) => label.startsWith('rpz-'));
  if (special !== undefined) {
    return refusal(
      'rpz_label',
      special,
      `${host} has the label ${special}: labels starting with rpz- are RPZ triggers and ` +
        'actions (rpz-ip, rpz-nsdname, rpz-client-ip, rpz-passthru, …), not domain names',
    );
  }
  const parsed = parseDomain(host, { allowPrivateDomains: true });
  const tld = host.slice(host.lastIndexOf('.') + 1);
  if (parsed.isIcann !== true && parsed.isPrivate !== true) {
    return refusal(
      'unknown_tld',
      tld,
      `${host} is not under a top-level domain of the Public Suffix List (.${tld} is none)`,
    );
  }
  if (tld === 'arpa') {
    return refusal(
      'unknown_tld',
      tld,
      `${host} is under .arpa, the TLD of reverse lookups and ENUM, where no site is registered`,
    );
  }
  return siteRefusal(host, protectedDomains);
}

/** The normalised host of `domain`, or the `ip_address` / `invalid_domain` refusal. */
function hostOf(domain: string): { host: string } | ProtectionRefusal {
  let raw = domain.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(raw)) {
    try {
      raw = new URL(raw).hostname;
    } catch {
      return refusal('invalid_domain', raw, `"${raw}" is not a URL with a host`);
    }
  }
  raw = raw.replace(/\.$/, '');
  const literal = raw.replace(/^\[|\]$/g, '');
  if (parseDomain(literal).isIp === true || literal.includes(':')) {
    return refusal('ip_address', literal, `${literal} is an IP address, not a domain name`);
  }
  const host = normalizeBlockDomain(raw);
  if (host === null) return refusal('invalid_domain', raw, `"${raw}" is not a DNS host name`);
  return { host };
}

/** The site rules (public suffix, platform, shortener, government, protected) for a normal host. */
function siteRefusal(host: string, protectedDomains: readonly string[]): ProtectionRefusal | null {
  const parsed = parseDomain(host, { allowPrivateDomains: true });
  if (parsed.domain === null || parsed.publicSuffix === host) {
    return refusal(
      'public_suffix',
      host,
      `${host} is a public suffix: blocking it blocks every site registered under it`,
    );
  }
  const url = `http://${host}/`;
  const platform = platformOf(url);
  if (platform !== 'website') {
    return refusal(
      'platform',
      parsed.domain,
      `${parsed.domain} is the platform ${platform}, which carries everyone's content`,
    );
  }
  if (matchKey(url)?.shortener === true) {
    return refusal('shortener', host, `${host} is a link shortener used by everyone`);
  }
  const icannSuffix = parseDomain(host).publicSuffix ?? '';
  const suffixLabels = icannSuffix.split('.');
  const tld = suffixLabels[suffixLabels.length - 1] ?? '';
  const firstSuffixLabel = suffixLabels[0] ?? '';
  if (
    GOVERNMENT_TLDS.has(tld) ||
    (suffixLabels.length > 1 && GOVERNMENT_SUFFIX_LABELS.has(firstSuffixLabel))
  ) {
    return refusal(
      'government',
      icannSuffix,
      `${host} is under ${icannSuffix}, a government, military or education suffix`,
    );
  }
  const hit = protectedDomains.find((p) => host === p || host.endsWith(`.${p}`));
  if (hit !== undefined) {
    return refusal(
      'protected_domain',
      hit,
      `${host} is protected (${hit} is on the protected list)`,
    );
  }
  return null;
}

function refusal(rule: ProtectionRule, matched: string, detail: string): ProtectionRefusal {
  return { rule, matched, message: `${rule}: ${detail}` };
}
