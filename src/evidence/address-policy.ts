/**
 * Which network destinations scamnet's outbound HTTP may connect to (SSRF protection). Pure: no
 * I/O. Every outbound request (capture, re-checks, screenshots, webhooks) is checked here through
 * the guarded client (outbound.ts), before connecting, on every hop.
 *
 * Only globally routable unicast addresses pass. Refused, by ipaddr.js's special-purpose ranges
 * (IANA IPv4/IPv6 Special-Purpose Address Registries): loopback, RFC 1918 private, link-local
 * (which holds the 169.254.169.254 cloud metadata service), CGNAT 100.64/10 (Alibaba's metadata
 * 100.100.100.200), multicast, broadcast, unspecified, reserved/documentation/benchmarking,
 * IPv6 unique-local (AWS's fd00:ec2::254 metadata), site-local, discard, ORCHID.
 *
 * IPv6 transition forms carry an IPv4 address, and reaching them may reach that IPv4 host. Each
 * is decided by the IPv4 address it embeds (judged by ipaddr.js IPv4 ranges like a plain IPv4
 * address, loopback never let through); when any embedded address is not public unicast the
 * address is refused, naming it:
 * - IPv4-mapped `::ffff:0:0/96` (RFC 4291 §2.5.5.2): allowed when the IPv4 address is public, and
 *   then connected to as that IPv4 address (it is the same destination on a dual-stack socket;
 *   some resolvers answer in this form);
 * - NAT64 well-known prefix `64:ff9b::/96` (RFC 6052): allowed when the IPv4 address is public
 *   (DNS64 synthesises these on IPv6-only networks; RFC 6052 §3.1 forbids the prefix for
 *   non-global IPv4);
 * - refused even with a public IPv4 address: IPv4-compatible `::/96` (deprecated, RFC 4291
 *   §2.5.5.1), IPv4-translated `::ffff:0:0:0/96` (RFC 6145), NAT64 local-use `64:ff9b:1::/48`
 *   (RFC 8215: a site's own translator, and the IPv4 position depends on a prefix length the
 *   address does not tell: every RFC 6052 position is checked), 6to4 `2002::/16` (RFC 3056,
 *   IPv4 in bits 16–47; its relays are deprecated by RFC 7526) and Teredo `2001::/32` (RFC 4380:
 *   server IPv4 in bits 32–63, client IPv4 the last 32 bits inverted). No public site needs
 *   these, and they route through relays or translators that may sit inside the network.
 *
 * Loopback alone can be allowed (127.0.0.0/8 and `::1`, written plainly), for tests that fetch
 * from their own loopback servers.
 */
import ipaddr from 'ipaddr.js';

/** Why an address was refused, or `allowed` with the address to connect to. */
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

/** The IPv6 transition forms that embed IPv4 addresses. */
export type TransitionForm =
  | 'ipv4Mapped'
  | 'ipv4Compatible'
  | 'ipv4Translated'
  | 'nat64'
  | 'nat64LocalUse'
  | '6to4'
  | 'teredo';

/** Forms let through when every IPv4 address they embed is public unicast. */
const FORMS_ALLOWED_WHEN_PUBLIC: ReadonlySet<TransitionForm> = new Set(['ipv4Mapped', 'nat64']);

/** One IPv4 address inside an IPv6 address. */
export interface EmbeddedIPv4 {
  readonly form: TransitionForm;
  readonly ipv4: string;
}

function ipv4At(bytes: readonly number[], offsets: readonly number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4(offsets.map((offset) => bytes[offset] ?? 0));
}

function inRange(address: ipaddr.IPv6, cidr: string): boolean {
  const [network, bits] = ipaddr.IPv6.parseCIDR(cidr);
  return address.match(network, bits);
}

/** Byte offsets of the IPv4 address after an RFC 6052 prefix of each length (bits 64–71 skipped). */
const RFC6052_POSITIONS: ReadonlyArray<readonly number[]> = [
  [6, 7, 9, 10], // /48
  [7, 9, 10, 11], // /56
  [9, 10, 11, 12], // /64
  [12, 13, 14, 15], // /96
];

/**
 * The IPv4 addresses embedded in an IPv6 address by the transition forms (see the module
 * comment), each with its form; empty for any other IPv6 address. Decided by prefix (ipaddr.js
 * CIDR match), never by the text's spelling, so `::ffff:7f00:1` and `::ffff:127.0.0.1` are alike.
 */
export function embeddedIPv4s(address: ipaddr.IPv6): EmbeddedIPv4[] {
  const bytes = address.toByteArray();
  const last32 = ipv4At(bytes, [12, 13, 14, 15]);
  const found = (form: TransitionForm, ipv4: ipaddr.IPv4): EmbeddedIPv4 => ({
    form,
    ipv4: ipv4.toString(),
  });
  if (inRange(address, '::ffff:0:0/96')) return [found('ipv4Mapped', last32)];
  if (inRange(address, '::ffff:0:0:0/96')) return [found('ipv4Translated', last32)];
  if (inRange(address, '64:ff9b::/96')) return [found('nat64', last32)];
  if (inRange(address, '64:ff9b:1::/48')) {
    return RFC6052_POSITIONS.map((offsets) => found('nat64LocalUse', ipv4At(bytes, offsets)));
  }
  if (inRange(address, '2002::/16')) return [found('6to4', ipv4At(bytes, [2, 3, 4, 5]))];
  if (inRange(address, '2001::/32')) {
    const client = new ipaddr.IPv4([12, 13, 14, 15].map((i) => (bytes[i] ?? 0) ^ 0xff));
    return [found('teredo', ipv4At(bytes, [4, 5, 6, 7])), found('teredo', client)];
  }
  // IPv4-compatible `::a.b.c.d`; `::` and `::1` are the unspecified and loopback addresses.
  if (inRange(address, '::/96')) {
    const unspecifiedOrLoopback =
      bytes.slice(12, 15).every((b) => b === 0) && (bytes[15] ?? 0) <= 1;
    return unspecifiedOrLoopback ? [] : [found('ipv4Compatible', last32)];
  }
  return [];
}

/** The ipaddr.js range of an IPv4 address, or why it is refused regardless of range. */
function ipv4Refusal(address: ipaddr.IPv4): string | undefined {
  const text = address.toString();
  if (METADATA_ADDRESSES.has(text)) return 'cloud metadata address';
  const range = address.range();
  return range === 'unicast' ? undefined : `IPv4 ${range} address`;
}

/**
 * Classifies one IP address literal (IPv4 dotted quad or IPv6, without brackets; a bracketed
 * IPv6 literal from a URL host is accepted too).
 * @returns `allowed` only for global unicast (or plain loopback when the policy allows it), with
 *   the address to connect to (an allowed IPv4-mapped address becomes its IPv4 address).
 */
export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  const bare = stripBrackets(address);
  if (!ipaddr.isValid(bare)) return { allowed: false, address, reason: 'not an IP address' };
  const parsed = ipaddr.parse(bare);
  const normal = parsed.toString();
  if (METADATA_ADDRESSES.has(normal)) {
    return { allowed: false, address, reason: 'cloud metadata address' };
  }
  const range = parsed.range();
  if (range === 'loopback' && policy.allowLoopback) return { allowed: true, address: normal };
  if (parsed instanceof ipaddr.IPv4) {
    const refusal = ipv4Refusal(parsed);
    return refusal === undefined
      ? { allowed: true, address: normal }
      : { allowed: false, address, reason: refusal };
  }
  const embedded = embeddedIPv4s(parsed);
  for (const { form, ipv4 } of embedded) {
    const refusal = ipv4Refusal(ipaddr.IPv4.parse(ipv4));
    if (refusal !== undefined) {
      return {
        allowed: false,
        address,
        reason: `IPv6 ${form} address embedding ${ipv4}: ${refusal}`,
      };
    }
  }
  const [first] = embedded;
  if (first !== undefined) {
    if (!FORMS_ALLOWED_WHEN_PUBLIC.has(first.form)) {
      return {
        allowed: false,
        address,
        reason: `IPv6 ${first.form} address (a transition form scamnet does not connect to)`,
      };
    }
    return { allowed: true, address: first.form === 'ipv4Mapped' ? first.ipv4 : normal };
  }
  if (range === 'unicast') return { allowed: true, address: normal };
  return { allowed: false, address, reason: `IPv6 ${range} address` };
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

/** `[::1]` → `::1`; anything else unchanged (WHATWG URL hosts keep IPv6 brackets). */
export function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** The address inside an URL host (`[::1]` → `::1`), or undefined when the host is a name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = stripBrackets(hostname);
  return ipaddr.isValid(bare) ? bare : undefined;
}
