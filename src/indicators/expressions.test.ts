import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from './__fixtures__/fixtures.js';
import { lookupExpressions } from './expressions.js';

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

describe('lookupExpressions: Safe Browsing v4 documentation examples (as sets)', () => {
  const rows = readJsonLines('safebrowsing/expressions.jsonl');
  it('has the 3 examples', () => expect(rows).toHaveLength(3));
  it.each(rows.map((row) => [String(row.url), strings(row.expressions)] as const))(
    '%s',
    (url, expressions) => {
      const got = lookupExpressions(url);
      expect(new Set(got)).toEqual(new Set(expressions));
      expect(got).toHaveLength(new Set(got).size);
    },
  );
});

describe('lookupExpressions: Go client generatePatterns rows that follow the documentation', () => {
  // The Go client walks more host suffixes than the documented 5 and drops an empty query;
  // those rows are informative and left out.
  const rows = readJsonLines('safebrowsing/go-safebrowsing-vectors.jsonl').filter(
    (row) =>
      row.function === 'generatePatterns' &&
      typeof row.input === 'string' &&
      !row.input.endsWith('?') &&
      row.input
        .replace(/^\w+:\/\//, '')
        .split('/')[0]
        ?.split('.').length !== 9,
  );
  it('keeps most rows', () => expect(rows.length).toBeGreaterThanOrEqual(10));
  it.each(rows.map((row) => [String(row.input), row] as const))('%s', (input, row) => {
    expect(new Set(lookupExpressions(input))).toEqual(
      new Set(row.fail === true ? [] : strings(row.output)),
    );
  });
});

describe('lookupExpressions: limits', () => {
  it('gives at most 5 hosts × 6 paths', () => {
    const got = lookupExpressions('http://a.b.c.d.e.f.g.h/1/2/3/4/5/6/7.html?q=1');
    expect(got).toHaveLength(30);
    expect(got).toContain('a.b.c.d.e.f.g.h/1/2/3/4/5/6/7.html?q=1');
    expect(got).toContain('d.e.f.g.h/1/2/3/');
    expect(got).not.toContain('h/');
  });
  it('gives [] without a valid host', () => {
    expect(lookupExpressions('not a url')).toEqual([]);
  });
  it('never throws and never exceeds 30 (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        expect(lookupExpressions(input).length).toBeLessThanOrEqual(30);
      }),
      { numRuns: 2000 },
    );
  });
});
