import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ancestorNames,
  checkBlockDomain,
  rpzNameRefusal,
  rpzNameSet,
  type RpzNameRules,
} from '../../src/blocklist/index.js';
import { loadConfig } from '../../src/config/index.js';

import { DEFAULT_PROTECTED_DOMAINS } from '../../src/config/index.js';
import { blockRefusal } from '../../src/indicators/index.js';
// The kinds of names that must never become QNAME triggers, and the kind of zone that lets a
// blocked subtree resolve, tried with generated instances rather than the examples alone.

const rules: RpzNameRules = { origin: 'rpz.scamnet', protectedDomains: DEFAULT_PROTECTED_DOMAINS };
const config = loadConfig({}, '/tmp');

/** RPZ's special labels (draft-vixie-dnsop-dns-rpz-00 §3–4) and any other `rpz-*` label. */
const rpzLabel = fc
  .oneof(
    fc.constantFrom(
      'rpz-ip',
      'rpz-nsip',
      'rpz-nsdname',
      'rpz-client-ip',
      'rpz-passthru',
      'rpz-drop',
      'rpz-tcp-only',
    ),
    fc.stringMatching(/^rpz-[a-z0-9-]{0,20}[a-z0-9]$/),
  )
  .chain((label) =>
    fc
      .array(fc.boolean(), { minLength: label.length, maxLength: label.length })
      .map((upper) => [...label].map((c, i) => (upper[i] === true ? c.toUpperCase() : c)).join('')),
  );
// An ordinary host label: not one with hyphens in the third and fourth positions, which RFC 5891
// §4.2.3.1 reserves (`xn--0` is an invalid A-label: the name is refused as invalid before its
// rpz-* label is looked at).
const label = fc
  .stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/)
  .filter((l) => l.slice(2, 4) !== '--');
const realSuffix = fc.constantFrom('com', 'com.tw', 'tw', 'org', 'net', 'xyz', 'co.uk', 'io');

describe('the guard refuses RPZ special labels anywhere in a name (rpz_label)', () => {
  it('a host with an rpz-* label inserted at any position, as a host or in a URL', () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 0, maxLength: 4 }),
        realSuffix,
        rpzLabel,
        fc.nat(),
        fc.boolean(),
        (labels, suffix, special, at, asUrl) => {
          const all = [...labels, ...suffix.split('.')];
          all.splice(at % (all.length + 1), 0, special);
          const host = all.join('.');
          const input = asUrl ? `https://${host}/login` : host;
          const refusal = blockRefusal(input);
          expect(refusal, host).toMatchObject({
            rule: 'rpz_label',
            matched: special.toLowerCase(),
          });
          expect(rpzNameRefusal(host.toLowerCase(), rules)).toMatchObject({ rule: 'rpz_label' });
          expect(() => checkBlockDomain(config, input)).toThrow(/rpz_label/);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the issue’s examples', () => {
    for (const name of [
      '1.0.0.0.0.rpz-ip',
      '1.0.0.0.128.rpz-ip',
      '32.1.0.0.127.rpz-client-ip',
      'org.rpz-nsdname',
      'ns1.example.org.rpz-nsdname',
      'https://ns1.example.org.rpz-nsdname/x',
      'example.com.rpz-passthru',
      'rpz-drop.example.com',
    ]) {
      expect(blockRefusal(name)?.rule, name).toBe('rpz_label');
    }
  });
});

describe('the guard refuses names outside the Public Suffix List’s TLDs (unknown_tld)', () => {
  // No delegated TLD has a digit outside IDN A-labels (xn--…), so these cannot exist.
  const madeUpTld = fc.oneof(
    fc.constantFrom(
      'test',
      'example',
      'invalid',
      'localhost',
      'local',
      'internal',
      'lan',
      'home',
      'corp',
      'alt',
      'zz',
    ),
    fc.stringMatching(/^[a-z]{1,8}[0-9][a-z0-9]{0,6}$/).filter((t) => !t.startsWith('xn--')),
  );

  it('random names under made-up TLDs', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), madeUpTld, (labels, tld) => {
        const host = [...labels, tld].join('.');
        expect(blockRefusal(host), host).toMatchObject({ rule: 'unknown_tld', matched: tld });
        expect(rpzNameRefusal(host, rules)).toMatchObject({ rule: 'unknown_tld' });
      }),
      { numRuns: 400 },
    );
  });

  it('names under .arpa (reverse lookups, ENUM)', () => {
    for (const name of ['1.0.0.127.in-addr.arpa', '8.b.d.0.1.0.0.2.ip6.arpa', 'x.home.arpa']) {
      expect(blockRefusal(name)?.rule, name).toBe('unknown_tld');
    }
  });

  it('accepts random hosts under real TLDs (ICANN or the private section)', () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 0, maxLength: 3 }),
        fc.stringMatching(/^zq[a-z0-9]{4,12}$/),
        fc.constantFrom(
          'com',
          'com.tw',
          'tw',
          'net',
          'shop',
          'xyz',
          'co.uk',
          'xn--kpry57d',
          'github.io',
          'netlify.app',
        ),
        (sub, name, suffix) => {
          const host = [...sub, name, suffix].join('.');
          expect(blockRefusal(host), host).toBeNull();
          expect(rpzNameRefusal(host, rules), host).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the guard refuses what is not a host name (invalid_domain)', () => {
  it('wildcards, empty labels, labels over 63 octets, names over 253 octets', () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(
          (ls: string[]) => ['*', ...ls],
          (ls: string[]) => [...ls.slice(0, 1), '*', ...ls.slice(1)],
          (ls: string[]) => [...ls.slice(0, 1), '', ...ls.slice(1)],
          (ls: string[]) => ['', ...ls],
          (ls: string[]) => ['a'.repeat(64), ...ls],
          (ls: string[]) => [...Array.from({ length: 5 }, () => 'b'.repeat(60)), ...ls],
        ),
        (labels, spoil) => {
          const host = [...spoil(labels), 'com'].join('.');
          expect(blockRefusal(host), host).toMatchObject({ rule: 'invalid_domain' });
          expect(rpzNameRefusal(host, rules)).not.toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a stored name that is not in canonical form never reaches the zone', () => {
    expect(rpzNameRefusal('Scam-Shop.com', rules)?.rule).toBe('invalid_domain');
    expect(rpzNameRefusal('scam-shop.com.', rules)?.rule).toBe('invalid_domain');
    expect(rpzNameRefusal('scam-shop.com', rules)).toBeNull();
  });
});

describe('every published name is valid under the origin in force', () => {
  it('`*.name.origin` within 253 octets whatever the origin; longer ones are left out, named', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z][a-z0-9]{0,62}$/), { minLength: 1, maxLength: 3 }),
        fc.array(fc.stringMatching(/^zq[a-z0-9]{1,61}$/), { minLength: 1, maxLength: 4 }),
        (originLabels, labels) => {
          const origin = originLabels.join('.');
          fc.pre(origin.length <= 200);
          const domain = [...labels, 'com'].join('.');
          fc.pre(domain.length <= 253);
          const { domains, omitted } = rpzNameSet([domain], (d) =>
            rpzNameRefusal(d, { ...rules, origin }),
          );
          const fits = `*.${domain}.${origin}`.length <= 253;
          expect(domains).toEqual(fits ? [domain] : []);
          expect(omitted.map((o) => o.rule)).toEqual(fits ? [] : ['too_long_for_origin']);
          for (const name of domains) {
            const owner = `*.${name}.${origin}`;
            expect(owner.length).toBeLessThanOrEqual(253);
            expect(owner.split('.').every((l) => l.length >= 1 && l.length <= 63)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * What a resolver answers for `query` (relative to the origin) from a zone whose owner names are
 * `owners`: an exact owner blocks; a name that exists only as an empty non-terminal does not; any
 * other name is blocked only when its closest encloser has a `*` child (RFC 1034 §4.3.2,
 * RFC 4592 §2.2.2 and §3.3.1). This is how BIND and Unbound match QNAME triggers.
 */
function zoneBlocks(owners: ReadonlySet<string>, query: string): boolean {
  if (owners.has(query)) return true;
  const exists = (name: string): boolean =>
    owners.has(name) || [...owners].some((o) => o.endsWith(`.${name}`));
  if (exists(query)) return false;
  for (const ancestor of ancestorNames(query)) {
    if (exists(ancestor)) return owners.has(`*.${ancestor}`);
  }
  return false;
}

const ownersOf = (domains: readonly string[]): Set<string> =>
  new Set(domains.flatMap((d) => [d, `*.${d}`]));

describe('a block covers its whole subtree whatever else is in the zone', () => {
  const roots = ['nested-shop.com.tw', 'evil-mall.com', 'scam.github.io', 'github.io'];
  const hostile = ['1.0.0.0.0.rpz-ip', 'org.rpz-nsdname', 'facebook.com', 'x.facebook.com'];
  const step = fc.constantFrom('a', 'b', 'c', 'deep', 'www');
  const name = fc
    .tuple(fc.constantFrom(...roots), fc.array(step, { maxLength: 3 }))
    .map(([root, path]) => [...path, root].join('.'));

  it('with X and a.b.X both blocked, b.X and c.b.X are blocked too (the empty non-terminal case)', () => {
    const active = ['nested-shop.com.tw', 'a.b.nested-shop.com.tw'];
    const naive = ownersOf(active);
    // The oracle reproduces the defect of publishing every active entry ...
    expect(zoneBlocks(naive, 'b.nested-shop.com.tw')).toBe(false);
    expect(zoneBlocks(naive, 'c.b.nested-shop.com.tw')).toBe(false);
    // ... and the published set has none.
    const { domains } = rpzNameSet(active, (d) => rpzNameRefusal(d, rules));
    expect(domains).toEqual(['nested-shop.com.tw']);
    const zone = ownersOf(domains);
    for (const q of [
      'nested-shop.com.tw',
      'b.nested-shop.com.tw',
      'c.b.nested-shop.com.tw',
      'a.b.nested-shop.com.tw',
      'deep.a.b.nested-shop.com.tw',
    ]) {
      expect(zoneBlocks(zone, q), q).toBe(true);
    }
  });

  it('random sets of nested entries: the zone blocks exactly the allowed entries and every name under them', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(name, fc.constantFrom(...hostile)), { maxLength: 12 }),
        fc.array(
          fc.tuple(fc.oneof(name, fc.constantFrom(...hostile)), fc.array(step, { maxLength: 2 })),
          { maxLength: 12 },
        ),
        (active, extra) => {
          const { domains, omitted } = rpzNameSet(active, (d) => rpzNameRefusal(d, rules));
          const allowed = active.filter((d) => rpzNameRefusal(d, rules) === null);
          // Published: allowed, and none under another published name (no shadowing).
          for (const d of domains) {
            expect(allowed).toContain(d);
            expect(domains.some((p) => d.endsWith(`.${p}`))).toBe(false);
          }
          // Omitted: exactly the refused active entries (not the covered ones).
          expect(omitted.map((o) => o.domain)).toEqual(
            active.filter((d) => !allowed.includes(d)).sort(),
          );
          const zone = ownersOf(domains);
          const queries = [
            ...active,
            ...extra.map(([base, path]) => [...path, base].join('.')),
            'unrelated.com.tw',
          ];
          for (const q of queries) {
            const expected = allowed.some((e) => q === e || q.endsWith(`.${e}`));
            expect(zoneBlocks(zone, q), `${q} with ${active.join(' ')}`).toBe(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
