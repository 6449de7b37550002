/**
 * Which network destinations capture may connect to (SSRF protection). Pure: no I/O.
 *
 * Only globally routable unicast addresses pass. Refused, by ipaddr.js's special-purpose ranges
 * (IANA IPv4/IPv6 Special-Purpose Address Registries): loopback, RFC 1918 private, link-local
 * (which holds the 169.254.169.254 cloud metadata service), CGNAT 100.64/10 (Alibaba's metadata
 * 100.100.100.200), multicast, broadcast, unspecified, reserved/documentation/benchmarking,
 * IPv6 unique-local (AWS's fd00:ec2::254 metadata), IPv4-mapped and translated IPv6 (::ffff:0:0/96,
 * 64:ff9b::/96), 6to4 and Teredo (which embed IPv4 addresses), site-local and ORCHID.
 * Loopback alone can be allowed, for tests that capture from their own loopback servers.
 */
import ipaddr from 'ipaddr.js';

/** Why an address was refused, or `allowed`. */
export type AddressVerdict =
  | { readonly allowed: true; readonly address: string }
  | { readonly allowed: false; readonly address: string; readonly reason: string };

/** The cloud metadata endpoints, named in refusals (they are also in refused ranges). */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  'fd00:ec2::254',
]);

/** Host names refused before any lookup (resolvers may answer them from local files). */
const FORBIDDEN_NAMES = /(^|\.)(localhost|localdomain|internal|local|home\.arpa)$/i;

/** Policy options. */
export interface AddressPolicy {
  /** Let loopback addresses (127.0.0.0/8, ::1) through. Tests only (CAPTURE_ALLOW_LOOPBACK). */
  readonly allowLoopback: boolean;
}

/**
 * Classifies one IP address literal (IPv4 dotted quad or IPv6, without brackets).
 * @returns `allowed` only for global unicast (or loopback when the policy allows it).
 */
export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, address, reason: 'not an IP address' };
  const parsed = ipaddr.parse(address);
  const normal = parsed.toString();
  if (METADATA_ADDRESSES.has(normal)) {
    return { allowed: false, address, reason: 'cloud metadata address' };
  }
  const range = parsed.range();
  if (range === 'unicast') return { allowed: true, address: normal };
  if (range === 'loopback' && policy.allowLoopback) return { allowed: true, address: normal };
  const kind = parsed.kind() === 'ipv6' ? 'IPv6' : 'IPv4';
  return { allowed: false, address, reason: `${kind} ${range} address` };
}

/**
 * Refuses host names that name the local machine or private networks by convention
 * (`localhost`, `*.localhost`, `*.internal`, `*.local`, `*.home.arpa`, `*.localdomain`).
 * @returns a reason, or undefined when the name may be resolved.
 */
export function checkHostName(hostname: string): string | undefined {
  const name = hostname.replace(/\.$/, '');
  if (name === '' || FORBIDDEN_NAMES.test(name)) return `host name ${hostname} is local`;
  return undefined;
}

/** The address inside an URL host (`[::1]` → `::1`), or undefined when the host is a name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare =
    hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : undefined;
}
