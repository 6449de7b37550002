import type { RpzActionConfig } from '../config/index.js';

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

/**
 * Renders the RPZ zone as master-file text (RFC 1035 §5) in chunks of lines, for streaming:
 * `$ORIGIN`, `$TTL`, the SOA at `serial`, one NS, then for each domain (in the order given;
 * pass them sorted for stable output) its name and `*.` wildcard with a CNAME to the action's
 * target. Owner names are relative to the origin. The output passes `named-checkzone`.
 * @param domains lower-case ASCII names, no trailing dot, each at most
 *   maxBlockedDomainLength(origin) long (the service guarantees both).
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
