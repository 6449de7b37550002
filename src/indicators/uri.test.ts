import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from './canonicalize-url.js';
import { rfc3986Uri } from './uri.js';

const ajv = new Ajv2020({ strict: true });
addFormats.default(ajv, ['uri']);
const isUri = ajv.compile({ type: 'string', format: 'uri' });

describe('rfc3986Uri', () => {
  it('percent-encodes what the URI grammar does not allow, per component', () => {
    const canonical = canonicalUrl('http://shop.example/a"b|c{d}e^f`g[h]?q=<x>&y=[1]|');
    expect(canonical).not.toBeNull();
    const uri = rfc3986Uri(canonical ?? '');
    expect(uri).toBe('http://shop.example/a%22b%7Cc%7Bd%7De%5Ef%60g%5Bh%5D?q=%3Cx%3E&y=%5B1%5D%7C');
    expect(isUri(uri)).toBe(true);
  });

  it('keeps existing escapes, the port and an IPv6 literal host', () => {
    expect(rfc3986Uri('http://[2001:db8::1]:8080/%E4%B8%AD?a=%25')).toBe(
      'http://[2001:db8::1]:8080/%E4%B8%AD?a=%25',
    );
  });

  it('encodes host characters a reg-name does not allow', () => {
    // canonicalUrl gives no such host; rfc3986Uri still encodes one given in canonical form.
    expect(canonicalUrl('http://w!eird<>ho$^.com/')).toBeNull();
    expect(rfc3986Uri('http://w!eird<>ho$^.com/')).toBe('http://w!eird%3C%3Eho$%5E.com/');
  });

  it('returns null for what is not a canonical URL', () => {
    expect(rfc3986Uri('not a url')).toBeNull();
  });

  it('every canonical URL becomes a valid, idempotent `format: uri` string', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    });
    fc.assert(
      fc.property(printable, printable, (path, query) => {
        const canonical = canonicalUrl(`http://example.com/${path}?${query}`);
        if (canonical === null) return;
        const uri = rfc3986Uri(canonical);
        expect(uri).not.toBeNull();
        expect(isUri(uri)).toBe(true);
        expect(rfc3986Uri(uri ?? '')).toBe(uri);
      }),
      { numRuns: 2000 },
    );
  });
});
