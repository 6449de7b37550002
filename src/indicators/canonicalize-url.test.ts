import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyAndOriginal, readJsonLines } from './__fixtures__/fixtures.js';
import {
  canonicalUrl,
  parseIpv4,
  splitCanonicalUrl,
  unescapeRepeatedly,
} from './canonicalize-url.js';

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

function expected(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
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
      expect(got).toBe(row.fail === true ? null : expected(row.output));
    },
  );
});

describe('canonicalUrl: inputs without a valid host give null', () => {
  it.each([
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
  ])('%j', (input) => {
    expect(canonicalUrl(input)).toBeNull();
  });
});

describe('canonicalUrl: more cases', () => {
  it.each([
    ['HTTPS://Example.COM:443/a/./b/../c?x=1#top', 'https://example.com/a/c?x=1'],
    ['www.example.com:8080/a', 'http://www.example.com/a'],
    ['http://user:pass@example.com/', 'http://example.com/'],
    ['http://例え.jp/パス', 'http://xn--r8jz45g.jp/%E3%83%91%E3%82%B9'],
    ['http://ｅｘａｍｐｌｅ．ｃｏｍ/', 'http://example.com/'],
    ['http://example。com/', 'http://example.com/'],
    ['http://0x7f.1/', 'http://127.0.0.1/'],
    ['http://example.com/a%2Fb', 'http://example.com/a/b'],
    ['http://example.com/a%3Fb', 'http://example.com/a%3Fb'],
    ['http://a%2Fb.com/', 'http://a%2Fb.com/'],
    ['http://example.com\\a\\b', 'http://example.com/a/b'],
    ['//example.com/a', 'http://example.com/a'],
  ])('%j → %j', (input, canonical) => {
    expect(canonicalUrl(input)).toBe(canonical);
  });
});

describe('helpers', () => {
  it('parseIpv4 reads every inet_aton encoding and rejects the rest', () => {
    expect(parseIpv4('3279880203')).toBe('195.127.0.11');
    expect(parseIpv4('012.034.01.055')).toBe('10.28.1.45');
    expect(parseIpv4('0x12.0x43.0x44.0x01')).toBe('18.67.68.1');
    expect(parseIpv4('12.0x12.01234')).toBe('12.18.2.156');
    expect(parseIpv4('167838211')).toBe('10.1.2.3');
    expect(parseIpv4('1.2.3.00x0')).toBeNull();
    expect(parseIpv4('123.123.0.0.1')).toBeNull();
    expect(parseIpv4('256.1.1.1')).toBeNull();
    expect(parseIpv4('example')).toBeNull();
  });
  it('unescapeRepeatedly reaches the fixpoint of repeated unescaping', () => {
    expect(unescapeRepeatedly('%2525252525252525')).toBe('%');
    expect(unescapeRepeatedly('%%32%35')).toBe('%');
    expect(unescapeRepeatedly('%2%35')).toBe('%');
    expect(unescapeRepeatedly('%zz%4')).toBe('%zz%4');
  });
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
