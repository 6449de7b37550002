import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyAndOriginal, readJsonLines } from './__fixtures__/fixtures.js';
import {
  canonicalIpv6,
  canonicalUrl,
  endsInNumber,
  parseIpv4,
  splitCanonicalUrl,
  unescapeRepeatedly,
} from './canonicalize-url.js';
import { registrableDomain } from './registrable-domain.js';

interface Vector {
  input: string | Uint8Array;
  label: string;
  canonical: string | null;
}

function inputOf(row: Record<string, unknown>): string | Uint8Array {
  if (typeof row.input === 'string') return row.input;
  if (typeof row.input_bytes_hex === 'string') return Buffer.from(row.input_bytes_hex, 'hex');
  throw new Error(`vector without input: ${JSON.stringify(row)}`);
}

/** A DNS name (letters, digits, `_`, `-`), an IPv4 address or an IPv6 literal. */
const HOST_NAME = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$/;

/**
 * What canonicalUrl answers for a vector whose Safe Browsing form is `value`: the same, except
 * where Safe Browsing keeps a host that names no host (`w!eird<>ho$^.com`, `%01%80.com`,
 * `%20leadingspace.com`): scamnet's deviation is null there (issue 19: a host name or nothing).
 */
function expected(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const host = splitCanonicalUrl(value)?.host ?? '';
  return HOST_NAME.test(host) ? value : null;
}

const mozilla: Vector[] = readJsonLines('safebrowsing/canonicalization.jsonl').map((row) => ({
  input: inputOf(row),
  label: JSON.stringify(row.input ?? row.input_bytes_hex),
  canonical: expected(row.canonical),
}));
const mozillaByInput = new Map(
  mozilla.flatMap((row) => (typeof row.input === 'string' ? [[row.input, row.canonical]] : [])),
);
// Where Google's list and Mozilla's disagree (the port), Mozilla's wins (issue 3, NOTICE.md).
const googleSpec: Vector[] = readJsonLines('safebrowsing/canonicalization-google-spec.jsonl').map(
  (row) => {
    const input = inputOf(row);
    const override = typeof input === 'string' ? mozillaByInput.get(input) : undefined;
    return {
      input,
      label: JSON.stringify(row.input ?? row.input_bytes_hex),
      canonical: override === undefined ? expected(row.canonical) : override,
    };
  },
);

/** One test per `[input, canonical]` pair: canonicalUrl(input) is `canonical`. */
function itCanonicalises(pairs: [string, string | null][]): void {
  it.each(pairs)('%j → %j', (input, canonical) => {
    expect(canonicalUrl(input)).toBe(canonical);
  });
}

/** One test per input, named by `title` (`%j` the input): canonicalUrl(input) is null. */
function itRefuses(inputs: string[], title = 'refuses %j'): void {
  it.each(inputs)(title, (input) => {
    expect(canonicalUrl(input)).toBeNull();
  });
}

describe('canonicalUrl: Mozilla test_canonicalization.js vectors', () => {
  it('has all 27 vectors', () => expect(mozilla).toHaveLength(27));
  it.each(mozilla.map((v) => [v.label, v] as const))('%s', (_label, vector) => {
    expect(canonicalUrl(vector.input)).toBe(vector.canonical);
  });
});

describe('canonicalUrl: Google Safe Browsing specification vectors', () => {
  it('has all 33 vectors', () => expect(googleSpec).toHaveLength(33));
  it.each(googleSpec.map((v) => [v.label, v] as const))('%s', (_label, vector) => {
    expect(canonicalUrl(vector.input)).toBe(vector.canonical);
  });
  it('keeps Mozilla’s answer for the port row', () => {
    expect(canonicalUrl('http://www.gotaport.com:1234/')).toBe('http://www.gotaport.com/');
  });
});

describe('canonicalUrl: google/safebrowsing Go client vectors, where they follow the documentation', () => {
  // Informative only: the Go client drops the query string (documentation keeps it) and writes
  // escapes in lower case (`%1b`); those rows are left out, everything else must agree.
  const rows = readJsonLines('safebrowsing/go-safebrowsing-vectors.jsonl').filter(
    (row) =>
      row.function === 'canonicalURL' &&
      !(typeof row.input === 'string' && row.input.includes('?')) &&
      !(typeof row.output === 'string' && /%[0-9a-f][a-f]/.test(row.output)),
  );
  it('covers the failing inputs and the extra hosts', () =>
    expect(rows.length).toBeGreaterThan(40));
  it.each(rows.map((row) => [JSON.stringify(row.input ?? row.input_bytes_hex), row] as const))(
    '%s',
    (_label, row) => {
      expect(canonicalUrl(inputOf(row))).toBe(row.fail === true ? null : expected(row.output));
    },
  );

  const hostRows = readJsonLines('safebrowsing/go-safebrowsing-vectors.jsonl').filter(
    (row) => row.function === 'canonicalHost' || row.function === 'canonicalPath',
  );
  it.each(hostRows.map((row) => [`${String(row.function)} ${String(row.input)}`, row] as const))(
    '%s',
    (_label, row) => {
      const parts = splitCanonicalUrl(canonicalUrl(inputOf(row)) ?? '');
      const got =
        parts === null ? null : row.function === 'canonicalHost' ? parts.host : parts.path;
      // The deviation of `expected`: a host that names no host gives no URL, so no path either.
      const rawHost = decodeURIComponent(
        /^[a-z]+:\/\/([^/?#]*)/i.exec(String(row.input))?.[1] ?? '',
      );
      const output =
        row.function === 'canonicalHost'
          ? HOST_NAME.test(String(row.output))
            ? row.output
            : null
          : /^[a-z0-9_.-]*$/i.test(rawHost)
            ? row.output
            : null;
      expect(got).toBe(row.fail === true ? null : output);
    },
  );
});

describe('canonicalUrl: inputs without a valid host give null', () => {
  itRefuses(
    [
      'not a url',
      'http://',
      '',
      'hello world',
      '   ',
      'mailto:someone@example.com',
      'javascript:alert(1)',
      'http:///path',
      'https://#frag',
      '1.5',
      'localhost',
      'user@example.com',
    ],
    '%j',
  );

  it('any host it answers is a DNS name, an IPv4 address or an IPv6 literal', () => {
    const hostChar = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit: hostChar, minLength: 1, maxLength: 30 }), (host) => {
        const canonical = canonicalUrl(`http://${host}/x`);
        if (canonical !== null) expect(splitCanonicalUrl(canonical)?.host).toMatch(HOST_NAME);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('canonicalUrl: more cases', () => {
  itCanonicalises([
    ['HTTPS://Example.COM:443/a/./b/../c?x=1#top', 'https://example.com/a/c?x=1'],
    ['www.example.com:8080/a', 'http://www.example.com/a'],
    ['http://user:pass@example.com/', 'http://example.com/'],
    ['http://例え.jp/パス', 'http://xn--r8jz45g.jp/%E3%83%91%E3%82%B9'],
    ['http://ｅｘａｍｐｌｅ．ｃｏｍ/', 'http://example.com/'],
    ['http://example。com/', 'http://example.com/'],
    ['http://0x7f.1/', 'http://127.0.0.1/'],
    ['http://example.com/a%2Fb', 'http://example.com/a/b'],
    ['http://example.com/a%3Fb', 'http://example.com/a%3Fb'],
    // A host that names no host (an escaped `/`, `,`, `!`, a space) gives no URL.
    ['http://a%2Fb.com/', null],
    ['http://shop.com.tw,click/', null],
    ['http://w!eird.com/', null],
    ['http://%20space.com/', null],
    ['http://example.com\\a\\b', 'http://example.com/a/b'],
    ['//example.com/a', 'http://example.com/a'],
  ]);
});

describe('helpers', () => {
  it.each([
    ['3279880203', '195.127.0.11'],
    ['012.034.01.055', '10.28.1.45'],
    ['0x12.0x43.0x44.0x01', '18.67.68.1'],
    ['12.0x12.01234', '12.18.2.156'],
    ['167838211', '10.1.2.3'],
    ['1.2.3.00x0', null],
    ['123.123.0.0.1', null],
    ['256.1.1.1', null],
    ['example', null],
  ])('parseIpv4 reads every inet_aton encoding and rejects the rest: %j → %j', (input, ip) => {
    expect(parseIpv4(input)).toBe(ip);
  });
  it.each([
    ['%2525252525252525', '%'],
    ['%%32%35', '%'],
    ['%2%35', '%'],
    ['%zz%4', '%zz%4'],
  ])(
    'unescapeRepeatedly reaches the fixpoint of repeated unescaping: %j → %j',
    (input, fixpoint) => {
      expect(unescapeRepeatedly(input)).toBe(fixpoint);
    },
  );
});

describe('vector copies', () => {
  it.each([
    'safebrowsing/canonicalization.jsonl',
    'safebrowsing/canonicalization-google-spec.jsonl',
    'safebrowsing/expressions.jsonl',
    'safebrowsing/go-safebrowsing-vectors.jsonl',
    'psl/tests.txt',
  ])('%s equals ../shared/data when present', (file) => {
    const pair = copyAndOriginal(file);
    if (pair !== null) expect(pair.copy).toBe(pair.original);
  });
});

describe('canonicalUrl properties (fast-check)', () => {
  const urlish = fc.stringMatching(
    /^(https?:\/\/)?[a-zA-Z0-9%.:@[\]\-_~]{0,20}(\/[a-zA-Z0-9%./?#=&;\\\t ~-]{0,30})?$/,
  );
  const anyText = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), urlish);

  it('never throws and returns a string or null', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const result = canonicalUrl(input);
        expect(result === null || typeof result === 'string').toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on raw bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        const result = canonicalUrl(bytes);
        expect(result === null || typeof result === 'string').toBe(true);
      }),
    );
  });

  it('is idempotent: canonicalUrl(canonicalUrl(x)) === canonicalUrl(x)', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const once = canonicalUrl(input);
        if (once !== null) expect(canonicalUrl(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('outputs only printable ASCII without `#`', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const once = canonicalUrl(input);
        if (once !== null) expect(once).toMatch(/^[!-"$-~]+$/);
      }),
    );
  });
});

/** `new URL()`'s verdict on a host: its serialised hostname, or null when it refuses it. */
function whatwgHost(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

/** One IPv4 part written in decimal, octal (`0…`) or hex (`0x…`), zero-padded up to 12 places. */
const ipv4Part = (value: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(10, 8, 16), fc.nat({ max: 12 }), fc.boolean(), fc.boolean())
    .map(([radix, pad, upperX, upperDigits]) => {
      const digits = value.toString(radix);
      if (radix === 10) return digits;
      if (radix === 8) return '0' + '0'.repeat(pad) + digits;
      const hex = upperDigits ? digits.toUpperCase() : digits;
      return (upperX ? '0X' : '0x') + '0'.repeat(pad) + hex;
    });

/** Every spelling the WHATWG IPv4 parser accepts: 1–4 parts, any radix, optional final dot. */
const ipv4Spelling = fc
  .tuple(fc.nat({ max: 0xffffffff }), fc.integer({ min: 1, max: 4 }), fc.boolean())
  .chain(([address, count, trailingDot]) => {
    const bytes = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
    const leading = bytes.slice(0, count - 1);
    const last = bytes.slice(count - 1).reduce((sum, byte) => sum * 256 + byte, 0);
    return fc
      .tuple(...[...leading, last].map(ipv4Part))
      .map((parts) => ({ spelling: parts.join('.') + (trailingDot ? '.' : ''), bytes }));
  });

/** Hosts ending in a number, valid or not: parts out of range, too many parts, bad digits. */
const numericHost = fc
  .array(
    fc.oneof(
      fc.nat({ max: 2 ** 33 }).chain(ipv4Part),
      fc.constantFrom('256', '65536', '4294967296', '09', '0x', '0xg', 'a', 'xn--p1ai', '1e3'),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .chain((parts) =>
    fc
      .nat({ max: 2 ** 33 })
      .chain(ipv4Part)
      .map((last) => [...parts, last]),
  )
  .map((parts) => parts.join('.'));

describe('canonicalUrl: IPv4 hosts as the WHATWG URL parser reads them (issue 19)', () => {
  itCanonicalises([
    ['http://0x0000078.0000000000220.171.205/', 'http://120.144.171.205/'],
    ['http://4294967295/', 'http://255.255.255.255/'],
    ['http://0x7f.1/', 'http://127.0.0.1/'],
    ['http://1.2.3.4./', 'http://1.2.3.4/'],
    ['http://0X7F.0.0.01/', 'http://127.0.0.1/'],
  ]);

  itRefuses(
    [
      'http://4294967296/',
      'http://255.255.65536/',
      'http://1.2.3.4.5/',
      'http://a.b.c.1/',
      'http://1.2.3.09/',
      'http://256.1.1.1/',
      '255.255.65536/x',
    ],
    'refuses %j, as new URL() does',
  );

  it('canonicalises every spelling new URL() accepts to the dotted quad it gives', () => {
    fc.assert(
      fc.property(ipv4Spelling, ({ spelling, bytes }) => {
        const quad = bytes.join('.');
        expect(whatwgHost(spelling)).toBe(quad);
        expect(canonicalUrl(`http://${spelling}/a`)).toBe(`http://${quad}/a`);
        expect(canonicalUrl(`HTTPS://${spelling.toUpperCase()}`)).toBe(`https://${quad}/`);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with new URL() on every host that ends in a number: its address, or null', () => {
    fc.assert(
      fc.property(numericHost, (host) => {
        expect(endsInNumber(host)).toBe(true);
        const oracle = whatwgHost(host);
        expect(canonicalUrl(`http://${host}/`)).toBe(oracle === null ? null : `http://${oracle}/`);
      }),
      { numRuns: 2000 },
    );
  });

  it('registrableDomain has no domain for any of them', () => {
    fc.assert(
      fc.property(numericHost, (host) => {
        expect(registrableDomain(host)).toBeNull();
        expect(registrableDomain(`http://${host}/`)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});

/** The eight groups of an IPv6 address, biased towards runs of zeros and embedded IPv4. */
const ipv6Groups = fc.oneof(
  fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 0xffff })), { minLength: 8, maxLength: 8 }),
  fc
    .tuple(fc.constantFrom(0, 0xffff), fc.nat({ max: 0xffff }), fc.nat({ max: 0xffff }))
    .map(([sixth, high, low]) => [0, 0, 0, 0, 0, sixth, high, low]),
);

/** Spellings of one IPv6 address: full or compressed, padded, upper or lower case, dotted tail. */
const ipv6Spelling = (groups: number[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.nat({ max: 7 }))
    .map(([upper, pad, dotted, from]) => {
      const text = groups.map((g) => {
        const hex = pad ? g.toString(16).padStart(4, '0') : g.toString(16);
        return upper ? hex.toUpperCase() : hex;
      });
      if (dotted) {
        const [six = 0, seven = 0] = groups.slice(6);
        text.splice(6, 2, `${six >> 8}.${six & 255}.${seven >> 8}.${seven & 255}`);
      }
      // Compress the run of zero groups that starts at `from`, if there is one.
      let to = from;
      while (to < text.length && /^0+$/.test(text[to] ?? '')) to++;
      if (to - from < 1) return text.join(':');
      const head = text.slice(0, from).join(':');
      const tail = text.slice(to).join(':');
      return `${head}::${tail}`;
    });

describe('canonicalUrl: IPv6 literals, one address one spelling (issue 19)', () => {
  itCanonicalises([
    ['http://[0:0::1]/', 'http://[::1]/'],
    ['http://[2001:DB8:0:0:1:0:0:1]/', 'http://[2001:db8::1:0:0:1]/'],
    ['http://[::FFFF:C000:0201]/', 'http://[::ffff:192.0.2.1]/'],
    ['http://[::192.9.5.5]/ipng', 'http://[::192.9.5.5]/ipng'],
    ['http://[::c009:505]/ipng', 'http://[::192.9.5.5]/ipng'],
  ]);

  itRefuses([
    'http://[fe80::1%25eth0]/',
    'http://[1:2:3:4:5:6:7:8:9]/',
    'http://[::1/',
    'http://[g::]/',
  ]);

  it('gives every spelling of an address the same RFC 5952 host', () => {
    fc.assert(
      fc.property(
        ipv6Groups.chain((groups) =>
          fc.tuple(fc.constant(groups), ipv6Spelling(groups), ipv6Spelling(groups)),
        ),
        ([groups, one, two]) => {
          const host = canonicalIpv6(`[${one}]`);
          expect(host).not.toBeNull();
          expect(canonicalIpv6(`[${two}]`)).toBe(host);
          // Same address as new URL() reads it (hex only), and the one generated.
          const whatwg = whatwgHost(host ?? '') ?? '';
          expect(whatwg).toBe(whatwgHost(`[${one}]`));
          const parsed = ipaddr.IPv6.parse(whatwg.slice(1, -1));
          expect(parsed.parts).toEqual(groups);
          const embedsIpv4 =
            groups.slice(0, 5).every((g) => g === 0) &&
            (groups[5] === 0xffff || (groups[5] === 0 && groups[6] !== 0));
          if (!embedsIpv4) expect(host).toBe(`[${parsed.toRFC5952String()}]`);
          expect(canonicalUrl(`http://[${one}]/x`)).toBe(`http://${host ?? ''}/x`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('canonicalUrl: a doubled scheme is one URL (issue 19)', () => {
  itCanonicalises([
    ['http://http://t.cn/XXXXXXX', 'http://t.cn/XXXXXXX'],
    ['https://https://example.com/a', 'https://example.com/a'],
    ['http://https://example.com/a', 'https://example.com/a'],
    ['HTTP://HTTP://http://t.cn/A', 'http://t.cn/A'],
  ]);
});

describe('registrableDomain and canonicalUrl give a host name or nothing (issue 19)', () => {
  it.each([
    '某店家.com.tw,某店家也已經出面回應這是假訊息',
    'http://x.com.tw,某店家也已經出面回應這是假訊息',
    'x.com.tw,abc',
    '255.65536',
    'http://255.255.65536/',
  ])('registrableDomain(%j) is null', (input) => {
    expect(registrableDomain(input)).toBeNull();
  });

  it('registrableDomain answers a DNS name or null, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), numericHost), (text) => {
        const domain = registrableDomain(text);
        if (domain === null) return;
        const ascii = domainToASCII(domain);
        expect(ascii).toMatch(/^(?:[a-z0-9_-]{1,63}\.)+[a-z0-9_-]{1,63}$/);
        expect(endsInNumber(ascii)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
