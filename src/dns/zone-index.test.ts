import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerName, nameKey, textName, type OutRecord, type WireName } from './wire.js';
import { LOOKUP_RCODE, ZoneIndex } from './zone-index.js';

const ORIGIN = 'rpz.test';

/**
 * An RPZ-shaped zone (SOA, NS, a CNAME at each domain and at its `*.` child), from records or,
 * `compact`, with the domains as PolicyOwners.
 */
function zone(domains: readonly string[], ttl = 300, compact = false): ZoneIndex {
  const records: OutRecord[] = [
    {
      name: textName(ORIGIN),
      type: 6,
      class: 1,
      ttl,
      data: {
        kind: 'soa',
        soa: {
          mname: textName('ns.example'),
          rname: textName('hostmaster.example'),
          serial: 1,
          refresh: 3600,
          retry: 600,
          expire: 864000,
          minimum: 60,
        },
      },
    },
    {
      name: textName(ORIGIN),
      type: 2,
      class: 1,
      ttl,
      data: { kind: 'name', name: textName('ns.example') },
    },
  ];
  if (compact) {
    return new ZoneIndex(textName(ORIGIN), records, {
      domains: new Set(domains),
      records: [{ type: 5, class: 1, ttl, data: { kind: 'name', name: [] } }],
    });
  }
  for (const domain of domains) {
    for (const owner of [domain, `*.${domain}`]) {
      records.push({
        name: textName(`${owner}.${ORIGIN}`),
        type: 5,
        class: 1,
        ttl,
        data: { kind: 'name', name: [] },
      });
    }
  }
  return new ZoneIndex(textName(ORIGIN), records);
}

/** Whether `name` is `ancestor` or below it (by nameKey). */
function atOrBelow(name: WireName, ancestor: WireName): boolean {
  const n = nameKey(name);
  const a = nameKey(ancestor);
  return n === a || n.endsWith(`.${a}`);
}

const labelArb = fc.constantFrom('a', 'b', 'c', 'shop');
const domainArb = fc.array(labelArb, { minLength: 1, maxLength: 3 }).map((l) => l.join('.'));
const qnameArb = fc
  .array(fc.constantFrom('a', 'b', 'c', 'shop', '*', 'x', 'A', 'SHOP'), { maxLength: 4 })
  .map((labels) => textName([...labels, ORIGIN].join('.')));

describe('authoritative lookups in one zone (RFC 1034 §4.3.2, RFC 4592, RFC 8020)', () => {
  it('answers NODATA at empty non-terminals and NXDOMAIN only where nothing exists at or below (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(domainArb, { maxLength: 6 }), qnameArb, (domains, qname) => {
        const index = zone(domains);
        const owners = domains.flatMap((d) => [
          textName(`${d}.${ORIGIN}`),
          textName(`*.${d}.${ORIGIN}`),
        ]);
        const result = index.lookup(qname, 1, false);
        const exists = owners.some((owner) => atOrBelow(owner, qname));
        // RFC 8020: NXDOMAIN means nothing exists at or below the name; an existing name is never NXDOMAIN.
        if (result.rcode === LOOKUP_RCODE.nxDomain) return !exists;
        if (exists && result.answer.length === 0) {
          return result.authority[0]?.type === 6 && result.authority[0].ttl === 60;
        }
        return result.rcode === LOOKUP_RCODE.noError;
      }),
      { numRuns: 3000 },
    );
  });

  it('answers alike from records and from the same zone given as PolicyOwners (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(domainArb, { maxLength: 6 }),
        qnameArb,
        fc.constantFrom(1, 5, 6, 46, 255),
        (domains, qname, qtype) => {
          expect(zone(domains, 300, true).lookup(qname, qtype, false)).toEqual(
            zone(domains).lookup(qname, qtype, false),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('answers a name and its spelling in another case alike, with the owner lower-cased (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(domainArb, { maxLength: 6 }), qnameArb, (domains, qname) => {
        const index = zone(domains);
        const upper = qname.map((l) => Buffer.from(l.toString('latin1').toUpperCase(), 'latin1'));
        const a = index.lookup(qname, 1, false);
        const b = index.lookup(upper, 1, false);
        expect(b.rcode).toBe(a.rcode);
        expect(b.answer.map((r) => nameKey(r.name))).toEqual(a.answer.map((r) => nameKey(r.name)));
        for (const r of b.answer) expect(r.name).toEqual(lowerName(r.name));
      }),
      { numRuns: 1000 },
    );
  });

  it('covers names below a blocked domain by its wildcard, but not below an existing name under it', () => {
    const index = zone(['example.org', 'a.b.example.org']);
    const rcode = (text: string): number =>
      index.lookup(textName(`${text}.${ORIGIN}`), 1, false).rcode;
    expect(index.lookup(textName(`x.example.org.${ORIGIN}`), 1, false).answer[0]?.type).toBe(5);
    // `b.example.org` exists (an empty non-terminal), so `*.example.org` does not apply to it
    // nor below it (RFC 4592 §2.2.1).
    expect(rcode('b.example.org')).toBe(LOOKUP_RCODE.noError);
    expect(index.lookup(textName(`b.example.org.${ORIGIN}`), 1, false).answer).toEqual([]);
    expect(rcode('c.b.example.org')).toBe(LOOKUP_RCODE.nxDomain);
    expect(rcode('org')).toBe(LOOKUP_RCODE.noError);
    expect(rcode('x.org')).toBe(LOOKUP_RCODE.nxDomain);
    // A `*` label asked for literally is the wildcard's own name; below it nothing exists.
    expect(index.lookup(textName(`*.example.org.${ORIGIN}`), 1, false).answer[0]?.type).toBe(5);
    expect(rcode('x.*.example.org')).toBe(LOOKUP_RCODE.nxDomain);
  });

  it('leaves the CNAME out for RRSIG, NSEC and KEY questions and the NS out of minimal answers', () => {
    const index = zone(['shop.example']);
    const at = textName(`shop.example.${ORIGIN}`);
    for (const type of [46, 47, 25]) expect(index.lookup(at, type, false).answer).toEqual([]);
    expect(index.lookup(at, 5, false).authority.map((r) => r.type)).toEqual([2]);
    expect(index.lookup(at, 5, true).authority).toEqual([]);
    expect(index.lookup(textName(ORIGIN), 2, false).authority).toEqual([]);
    expect(index.lookup(textName(`nx.${ORIGIN}`), 6, false).authority[0]?.ttl).toBe(0);
    expect(zone([], 30).lookup(textName(`nx.${ORIGIN}`), 1, false).authority[0]?.ttl).toBe(30);
  });
});
