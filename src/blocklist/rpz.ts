import type { RpzActionConfig } from '../config/index.js';
import { blockRefusal, normalizeBlockDomain, type ProtectionRule } from '../indicators/index.js';

/**
 * Everything the RPZ zone's rendering depends on besides the published domains
 * (draft-vixie-dnsop-dns-rpz-00). Names are absolute, lower-case, without the trailing dot.
 */
export interface RpzZoneSettings {
  /** Zone name, e.g. `rpz.scamnet`. */
  readonly origin: string;
  readonly action: RpzActionConfig;
  /** TTL of every record, seconds. */
  readonly ttl: number;
  /** SOA MNAME and the zone's only NS. */
  readonly nameserver: string;
  /** SOA RNAME (mailbox as a name). */
  readonly hostmaster: string;
}

/** SOA timers of the zone, seconds (RFC 1035 §3.3.13): refresh, retry, expire, negative TTL. */
export const RPZ_SOA_TIMERS = Object.freeze({
  refresh: 3600,
  retry: 600,
  expire: 864_000,
  minimum: 60,
});

/** The SOA of the zone at `serial` in the field names of dns-packet's SoaData. */
export interface RpzSoa {
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

/**
 * The CNAME target of a policy record (draft-vixie-dnsop-dns-rpz-00 §3.3): `.` answers NXDOMAIN,
 * `*.` NODATA, and a host name rewrites the answer to that walled-garden landing host. Absolute,
 * with the trailing dot as in a zone file.
 */
export function rpzTarget(action: RpzActionConfig): string {
  switch (action.kind) {
    case 'nxdomain':
      return '.';
    case 'nodata':
      return '*.';
    case 'walled_garden':
      return `${action.landingHost}.`;
  }
}

/**
 * A short stable name of the settings that change the zone's records (action, target, TTL):
 * recorded with every zone version so that IXFR never spans a change of policy.
 */
export function rpzPolicy(settings: RpzZoneSettings): string {
  return `${settings.action.kind}:${rpzTarget(settings.action)}:ttl=${settings.ttl}`;
}

/** The SOA record data of the zone at `serial`. */
export function rpzSoa(settings: RpzZoneSettings, serial: number): RpzSoa {
  return {
    mname: settings.nameserver,
    rname: settings.hostmaster,
    serial,
    ...RPZ_SOA_TIMERS,
  };
}

/**
 * The two QNAME trigger owner names of a blocked domain relative to the zone origin: the domain
 * itself and its wildcard, which together block the domain and every name under it
 * (draft-vixie-dnsop-dns-rpz-00 §4.1).
 */
export function rpzTriggerNames(domain: string): readonly [string, string] {
  return [domain, `*.${domain}`];
}

/** Longest domain the zone can carry under `origin`: `*.` + domain + `.` + origin ≤ 253 octets. */
export function maxBlockedDomainLength(origin: string): number {
  return 253 - origin.length - 3;
}

/** What the names of the zone are checked against when it is rendered. */
export interface RpzNameRules {
  /** Zone name, lower-case, without the trailing dot. */
  readonly origin: string;
  /** The configured protected list (BLOCKLIST_PROTECTED_DOMAINS and the shipped one). */
  readonly protectedDomains: readonly string[];
}

/**
 * Why an active entry is left out of the zone: a rule of the protection guard, or
 * `too_long_for_origin` when its trigger names would exceed 253 octets under the origin.
 */
export type RpzOmissionRule = ProtectionRule | 'too_long_for_origin';

/** An active entry's domain the zone leaves out, the rule, what matched and a sentence for staff. */
export interface RpzOmission {
  readonly domain: string;
  readonly rule: RpzOmissionRule;
  readonly matched: string;
  readonly message: string;
}

/**
 * Why `domain` cannot be a QNAME trigger of the zone under `rules`, or null when it can: the
 * protection guard (blockRefusal: host name syntax, no `rpz-*` label, a TLD of the Public
 * Suffix List, not a public suffix, platform, shortener, government or protected domain); the
 * canonical form the zone's text needs (lower-case ASCII, no trailing dot, as stored); and
 * `*.domain.origin` within 253 octets (RFC 1035 §2.3.4; labels ≤ 63 are the guard's). Applied to
 * every active entry each time the zone is rendered, so an entry stored under older rules or
 * another origin never reaches the zone.
 */
export function rpzNameRefusal(domain: string, rules: RpzNameRules): RpzOmission | null {
  const refusal = blockRefusal(domain, rules.protectedDomains);
  if (refusal !== null) return { domain, ...refusal };
  if (normalizeBlockDomain(domain) !== domain) {
    return {
      domain,
      rule: 'invalid_domain',
      matched: domain,
      message: `invalid_domain: "${domain}" is not in canonical form (lower-case ASCII)`,
    };
  }
  const max = maxBlockedDomainLength(rules.origin);
  if (domain.length > max) {
    return {
      domain,
      rule: 'too_long_for_origin',
      matched: rules.origin,
      message:
        `too_long_for_origin: *.${domain}.${rules.origin} would exceed 253 octets ` +
        `(${domain.length} > ${max} for this origin)`,
    };
  }
  return null;
}

/** Proper ancestors of `domain`, nearest first: `a.b.example.com` → `b.example.com`, `example.com`, `com`. */
export function ancestorNames(domain: string): string[] {
  const names: string[] = [];
  for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) {
    names.push(domain.slice(dot + 1));
  }
  return names;
}

/**
 * Whether the zone publishes `domain` (its name and its `*.` wildcard): it is an active entry,
 * its name is allowed (rpzNameRefusal is null), and no allowed active proper ancestor covers it.
 * Such an ancestor's wildcard already blocks the domain and every name under it; publishing the
 * domain as well would make the names between them exist in the zone as empty non-terminals,
 * which a wildcard never matches (RFC 4592 §2.2.2, §3.3.1), so `b.example.com` would resolve with
 * `example.com` and `a.b.example.com` both blocked. The one definition of the published set: the
 * whole zone (rpzNameSet) and its changes (the IXFR journal) both use it.
 * @param isActive whether a domain is that of an active entry.
 * @param isAllowed whether rpzNameRefusal accepts a domain under the rules in force.
 */
export function isPublishedName(
  domain: string,
  isActive: (domain: string) => boolean,
  isAllowed: (domain: string) => boolean,
): boolean {
  if (!isActive(domain) || !isAllowed(domain)) return false;
  return !ancestorNames(domain).some((a) => isActive(a) && isAllowed(a));
}

/** The names a zone publishes and the active entries it leaves out. */
export interface RpzNameSet {
  /** Published domains, sorted by UTF-16 code units (the zone's record order). */
  readonly domains: readonly string[];
  /** Active domains refused by rpzNameRefusal, sorted by domain. Covered entries are not listed. */
  readonly omitted: readonly RpzOmission[];
}

/**
 * The published set of the zone (see isPublishedName) for the active entries' `domains`, with
 * the entries left out and why. Pure; O(n × labels) lookups plus one refusal check per domain.
 * @param refusalOf rpzNameRefusal under the rules in force (callers may memoise it).
 */
export function rpzNameSet(
  domains: Iterable<string>,
  refusalOf: (domain: string) => RpzOmission | null,
): RpzNameSet {
  const active = new Set(domains);
  const omitted: RpzOmission[] = [];
  const allowed = new Set<string>();
  for (const domain of active) {
    const refusal = refusalOf(domain);
    if (refusal === null) allowed.add(domain);
    else omitted.push(refusal);
  }
  const published = [...allowed].filter((domain) =>
    isPublishedName(
      domain,
      (d) => active.has(d),
      (d) => allowed.has(d),
    ),
  );
  const byDomain = (a: { domain: string }, b: { domain: string }): number =>
    a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0;
  return {
    domains: published.sort(),
    omitted: omitted.sort(byDomain),
  };
}

/**
 * Renders the RPZ zone as master-file text (RFC 1035 §5) in chunks of lines, for streaming:
 * `$ORIGIN`, `$TTL`, the SOA at `serial`, one NS, then for each domain (in the order given;
 * pass them sorted for stable output) its name and `*.` wildcard with a CNAME to the action's
 * target. Owner names are relative to the origin. The output passes `named-checkzone`.
 * @param domains the published set (rpzNameSet: names rpzNameRefusal accepts under this origin,
 *   none under another), lower-case ASCII, no trailing dot; the service reads them so.
 * @param serial SOA serial, 1 … 2^32−1.
 * @param linesPerChunk records per yielded string (memory versus call overhead).
 */
export function* renderRpzZone(
  domains: Iterable<string>,
  settings: RpzZoneSettings,
  serial: number,
  linesPerChunk = 4096,
): Generator<string> {
  const soa = rpzSoa(settings, serial);
  yield [
    `; scamnet DNS RPZ (draft-vixie-dnsop-dns-rpz-00), policy ${rpzPolicy(settings)}`,
    `$ORIGIN ${settings.origin}.`,
    `$TTL ${settings.ttl}`,
    `@ IN SOA ${soa.mname}. ${soa.rname}. ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`,
    `@ IN NS ${settings.nameserver}.`,
    '',
  ].join('\n');
  const target = rpzTarget(settings.action);
  let chunk = '';
  let lines = 0;
  for (const domain of domains) {
    chunk += `${domain} CNAME ${target}\n*.${domain} CNAME ${target}\n`;
    lines += 2;
    if (lines >= linesPerChunk) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

/** renderRpzZone joined into one string. */
export function renderRpzZoneText(
  domains: Iterable<string>,
  settings: RpzZoneSettings,
  serial: number,
): string {
  let text = '';
  for (const chunk of renderRpzZone(domains, settings, serial)) text += chunk;
  return text;
}

/** Size of the SOA serial number space (RFC 1982 SERIAL_BITS = 32). */
const SERIAL_SPACE = 2 ** 32;
const SERIAL_HALF = 2 ** 31;

/**
 * Compares two SOA serials in RFC 1982 serial number arithmetic (SERIAL_BITS = 32): -1 when `a`
 * precedes `b`, 1 when `a` follows `b`, 0 when equal, and undefined when they are exactly 2^31
 * apart (RFC 1982 §3.2 leaves that comparison undefined; BIND's isc_serial_gt is false both
 * ways). So 5 follows 4294967290 (the serial wrapped past 2^32 − 1).
 * @param a, b integers 0 … 2^32 − 1.
 */
export function serialCompare(a: number, b: number): -1 | 0 | 1 | undefined {
  if (a === b) return 0;
  const distance = (((b - a) % SERIAL_SPACE) + SERIAL_SPACE) % SERIAL_SPACE;
  if (distance === SERIAL_HALF) return undefined;
  return distance < SERIAL_HALF ? -1 : 1;
}

/**
 * The next SOA serial after `previous` at `nowMs`: the Unix time in seconds (modulo 2^32) when
 * that follows `previous` in RFC 1982 serial arithmetic (so a rebuilt database still moves
 * forward for its secondaries), otherwise `previous + 1` modulo 2^32. Never 0 (BIND skips 0 when
 * it increments a serial). Always follows `previous` (RFC 1982 §3.1), also when the serial wraps
 * past 2^32 − 1 (in 2106, or after a serial set ahead of the clock).
 */
export function nextSerial(previous: number | undefined, nowMs: number): number {
  const unix = Math.floor(nowMs / 1000) % SERIAL_SPACE;
  if (unix !== 0 && (previous === undefined || serialCompare(unix, previous) === 1)) return unix;
  if (previous === undefined) return 1;
  return (previous + 1) % SERIAL_SPACE || 1;
}
