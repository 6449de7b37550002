import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readVectorFile } from './__fixtures__/fixtures.js';
import { registrableDomain } from './registrable-domain.js';

const cases = readVectorFile('psl/tests.txt')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('//'))
  .map((line) => {
    const [input = '', expected = ''] = line.split(/\s+/);
    return { input, expected: expected === 'null' ? null : expected };
  });

describe('registrableDomain: every case of the Public Suffix List tests.txt', () => {
  it('has all the active cases', () => expect(cases.length).toBeGreaterThanOrEqual(70));
  it.each(cases.map((c) => [c.input, c.expected] as const))('%s → %s', (input, expected) => {
    // `null null` is the "null input" case: no registrable domain for a missing value.
    expect(input === 'null' ? null : registrableDomain(input)).toBe(expected);
  });
});

describe('registrableDomain: IDNs', () => {
  const unicode = cases.filter((c) => /[^\x20-\x7e]/.test(c.input));
  it.each(unicode.map((c) => [c.input] as const))('%s: Unicode and punycode agree', (input) => {
    const fromUnicode = registrableDomain(input);
    const fromPunycode = registrableDomain(domainToASCII(input));
    expect(fromUnicode === null ? null : domainToASCII(fromUnicode)).toBe(fromPunycode);
  });
});

describe('registrableDomain: URLs and odd hosts', () => {
  it.each([
    ['https://www.ctbcbank.com/twrbo/login', 'ctbcbank.com'],
    ['http://食狮.公司.cn/a', 'xn--85x722f.xn--55qx5d.cn'],
    ['x.com.tw', 'x.com.tw'],
    ['a.b.x.com.tw', 'x.com.tw'],
    ['www.example.com.', 'example.com'],
    ['http://195.127.0.11/a', null],
    ['192.168.0.1', null],
    ['https://[::1]/', null],
    ['foo.blogspot.com', 'foo.blogspot.com'],
    ['', null],
    ['not a url', null],
  ])('%s → %s', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });
  it('never throws (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (input) => {
        const got = registrableDomain(input);
        expect(got === null || typeof got === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
