/**
 * The address policy's decisions on IPv6 transition forms, by property: every special-purpose
 * IPv4 range of ipaddr.js (everything but `unicast`), written in every form that embeds an IPv4
 * address, is refused; a public IPv4 address is allowed only as IPv4-mapped (connected to as the
 * IPv4 address) or under the NAT64 well-known prefix; nothing throws.
 */
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { checkAddress, embeddedIPv4s } from '../../src/evidence/address-policy.js';

type Octets = [number, number, number, number];

/** ipaddr.js's IPv4 special-purpose ranges as [name, first address octets, prefix length]. */
function specialRanges(): Array<[string, Octets, number]> {
  const table: unknown = Reflect.get(ipaddr.IPv4.prototype, 'SpecialRanges');
  const out: Array<[string, Octets, number]> = [];
  if (typeof table !== 'object' || table === null) return out;
  const add = (name: string, entry: unknown): void => {
    if (!Array.isArray(entry)) return;
    const [network, bits]: unknown[] = entry;
    if (network instanceof ipaddr.IPv4 && typeof bits === 'number') {
      const [a = 0, b = 0, c = 0, d = 0] = network.octets;
      out.push([name, [a, b, c, d], bits]);
    } else {
      for (const inner of entry) add(name, inner);
    }
  };
  for (const [name, entry] of Object.entries(table)) add(name, entry);
  return out;
}

const RANGES = specialRanges();

/** An address inside a range: the network with random host bits. */
function inRangeOf([, network, bits]: [string, Octets, number]): fc.Arbitrary<Octets> {
  return fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((random) => {
    const base = ((network[0] << 24) | (network[1] << 16) | (network[2] << 8) | network[3]) >>> 0;
    const hostMask = bits === 0 ? 0xffffffff : bits === 32 ? 0 : (1 << (32 - bits)) - 1;
    const value = ((base & ~hostMask) | (random & hostMask)) >>> 0;
    return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  });
}

const special: fc.Arbitrary<Octets> = fc.oneof(...RANGES.map(inRangeOf));
const octet = fc.integer({ min: 0, max: 255 });
const anyIPv4: fc.Arbitrary<Octets> = fc.tuple(octet, octet, octet, octet);
const publicIPv4 = anyIPv4.filter(
  (o) => new ipaddr.IPv4(o).range() === 'unicast' && o.join('.') !== '100.100.100.200',
);
const bytes = (count: number) => fc.array(octet, { minLength: count, maxLength: count });

function ipv6(bytes16: readonly number[]): string {
  return ipaddr.fromByteArray([...bytes16]).toString();
}

/** Every transition form of one IPv4 address (`filler`: random bytes for the other bits). */
function forms(v4: Octets, filler: readonly number[], other: Octets): Record<string, string> {
  const [a, b, c, d] = v4;
  const f = (i: number): number => filler[i] ?? 0;
  const inverted = v4.map((x) => x ^ 0xff);
  const nat64Local = (offsets: readonly number[]): string => {
    const out = [
      0,
      0x64,
      0xff,
      0x9b,
      0,
      1,
      f(0),
      f(1),
      0,
      f(2),
      f(3),
      f(4),
      f(5),
      f(6),
      f(7),
      f(8),
    ];
    offsets.forEach((offset, i) => (out[offset] = v4[i] ?? 0));
    return ipv6(out);
  };
  return {
    mapped: `::ffff:${a}.${b}.${c}.${d}`,
    mappedHex: ipv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d]),
    compatible: ipv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, a, b, c, d]),
    translated: `::ffff:0:${a}.${b}.${c}.${d}`,
    nat64: `64:ff9b::${a}.${b}.${c}.${d}`,
    nat64Local48: nat64Local([6, 7, 9, 10]),
    nat64Local56: nat64Local([7, 9, 10, 11]),
    nat64Local64: nat64Local([9, 10, 11, 12]),
    nat64Local96: nat64Local([12, 13, 14, 15]),
    sixToFour: ipv6([0x20, 0x02, a, b, c, d, ...filler.slice(0, 10)]),
    teredoServer: ipv6([
      0x20,
      0x01,
      0,
      0,
      a,
      b,
      c,
      d,
      f(0),
      f(1),
      f(2),
      f(3),
      ...other.map((x) => x ^ 0xff),
    ]),
    teredoClient: ipv6([0x20, 0x01, 0, 0, ...other, f(0), f(1), f(2), f(3), ...inverted]),
  };
}

describe('checkAddress on IPv6 transition forms', () => {
  it('knows every special-purpose IPv4 range of ipaddr.js', () => {
    expect(RANGES.map(([name]) => name)).toEqual(
      expect.arrayContaining(['loopback', 'private', 'linkLocal', 'carrierGradeNat', 'reserved']),
    );
    for (const range of RANGES) {
      fc.assert(
        fc.property(inRangeOf(range), (v4) => new ipaddr.IPv4(v4).range() !== 'unicast'),
        { numRuns: 20 },
      );
    }
  });

  it('refuses every special-purpose IPv4 address in every form, naming it', () => {
    fc.assert(
      fc.property(special, bytes(10), publicIPv4, fc.boolean(), (v4, filler, other, loopback) => {
        for (const [form, address] of Object.entries(forms(v4, filler, other))) {
          const verdict = checkAddress(address, { allowLoopback: loopback });
          // `::` and `::1` are also the IPv6 unspecified and loopback addresses.
          if (loopback && address === '::1') continue;
          expect(verdict.allowed, `${form} ${address}`).toBe(false);
          if (verdict.allowed || address === '::' || address === '::1') continue;
          // The local-use NAT64 prefix has four candidate positions: any special one is named.
          const named = form.startsWith('nat64Local') ? 'embedding ' : `embedding ${v4.join('.')}:`;
          expect(verdict.reason, `${form} ${address}`).toContain(named);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('allows a public IPv4 address only as IPv4-mapped or under the NAT64 well-known prefix', () => {
    fc.assert(
      fc.property(publicIPv4, bytes(10), publicIPv4, (v4, filler, other) => {
        const all = forms(v4, filler, other);
        for (const [form, address] of Object.entries(all)) {
          const verdict = checkAddress(address, { allowLoopback: false });
          const expected = ['mapped', 'mappedHex', 'nat64'].includes(form);
          expect(verdict.allowed, `${form} ${address}`).toBe(expected);
          if (form.startsWith('mapped')) expect(verdict.address).toBe(v4.join('.'));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the embedded addresses where RFC 6052, 3056 and 4380 put them', () => {
    expect(embeddedIPv4s(ipaddr.IPv6.parse('2002:c000:0204::1'))).toEqual([
      { form: '6to4', ipv4: '192.0.2.4' },
    ]);
    // RFC 4380 §4's example: server 65.54.227.120, client 192.0.2.45.
    expect(embeddedIPv4s(ipaddr.IPv6.parse('2001:0:4136:e378:8000:63bf:3fff:fdd2'))).toEqual([
      { form: 'teredo', ipv4: '65.54.227.120' },
      { form: 'teredo', ipv4: '192.0.2.45' },
    ]);
    // RFC 6052 §2.4's examples of 192.0.2.33 under a /48 and a /96 prefix.
    expect(embeddedIPv4s(ipaddr.IPv6.parse('64:ff9b:1:c000:2:2100::'))).toContainEqual({
      form: 'nat64LocalUse',
      ipv4: '192.0.2.33',
    });
    expect(embeddedIPv4s(ipaddr.IPv6.parse('64:ff9b::192.0.2.33'))).toEqual([
      { form: 'nat64', ipv4: '192.0.2.33' },
    ]);
    expect(embeddedIPv4s(ipaddr.IPv6.parse('2001:4860:4860::8888'))).toEqual([]);
    expect(embeddedIPv4s(ipaddr.IPv6.parse('::1'))).toEqual([]);
  });

  it('never throws, and allows an IPv6 address only when it is global unicast or a public form', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), bytes(16).map(ipv6)), fc.boolean(), (address, loopback) => {
        const verdict = checkAddress(address, { allowLoopback: loopback });
        if (!verdict.allowed || !ipaddr.isValid(address)) return;
        const parsed = ipaddr.parse(address);
        const range = parsed.range();
        expect(['unicast', 'loopback', 'ipv4Mapped', 'rfc6052']).toContain(range);
        if (range === 'loopback') expect(loopback).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
