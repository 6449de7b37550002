import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusableSkeleton, lookalike } from './lookalike.js';
import { DEFAULT_PROTECTED_DOMAINS } from '../config/index.js';

describe('lookalike', () => {
  it.each([
    ['moda-gov-tw.com', 'moda.gov.tw', 'other_suffix'],
    ['gov-tw.cc', 'gov.tw', 'other_suffix'],
    ['ctbcbank-tw.com', 'ctbcbank.com', 'inserted_hyphen_or_word'],
    ['ctbc-bank.com', 'ctbcbank.com', 'inserted_hyphen_or_word'],
    ['login-ctbcbank.com', 'ctbcbank.com', 'inserted_hyphen_or_word'],
    ['ctbcbamk.com', 'ctbcbank.com', 'typo'],
    ['ctbcbnak.com', 'ctbcbank.com', 'typo'],
    ['ctbcbank.net', 'ctbcbank.com', 'other_suffix'],
    ['ctbcbank.com.evil.top', 'ctbcbank.com', 'other_suffix'],
    ['ctbcb\u0430nk.com', 'ctbcbank.com', 'homograph'],
    [domainToASCII('ctbcb\u0430nk.com'), 'ctbcbank.com', 'homograph'],
    ['rnicrosoft.com', 'microsoft.com', 'homograph'],
    ['g00gle.com', 'google.com', 'homograph'],
    ['paypa1.com', 'paypal.com', 'homograph'],
    ['https://secure.esunbank-login.com/path', 'esunbank.com', 'inserted_hyphen_or_word'],
    ['pchome24h-shop.com', 'pchome.com.tw', 'inserted_hyphen_or_word'],
    ['line-me.cc', 'line.me', 'other_suffix'],
  ])('%s imitates %s (%s)', (domain, protectedDomain, rule) => {
    const result = lookalike(domain);
    expect(result?.protectedDomain).toBe(protectedDomain);
    expect(result?.reasons.map((reason) => reason.rule)).toContain(rule);
    for (const reason of result?.reasons ?? []) expect(reason.detail.length).toBeGreaterThan(0);
  });
  it.each([
    'www.ctbcbank.com',
    'ctbcbank.com',
    'moda.gov.tw',
    'www.moda.gov.tw',
    '165.npa.gov.tw',
    'example.com',
    'online-shop.com',
    'udn.com',
    'linebank.com.tw',
    'not a domain',
    '',
  ])('%s is not a lookalike', (domain) => {
    expect(lookalike(domain)).toBeNull();
  });
  it('uses the given protected list', () => {
    expect(lookalike('examp1e.org', ['example.org'])?.reasons[0]?.rule).toBe('homograph');
    expect(lookalike('ctbcbank-tw.com', ['example.org'])).toBeNull();
  });
  it('ships a default list of Taiwan government suffixes, banks and brands', () => {
    expect(DEFAULT_PROTECTED_DOMAINS).toEqual(
      expect.arrayContaining(['gov.tw', 'moda.gov.tw', 'ctbcbank.com', 'line.me']),
    );
  });
  it('confusableSkeleton maps TR39 confusables together', () => {
    expect(confusableSkeleton('ctbcb\u0430nk')).toBe(confusableSkeleton('ctbcbank'));
    expect(confusableSkeleton('rn')).toBe(confusableSkeleton('m'));
    expect(confusableSkeleton('abc')).not.toBe(confusableSkeleton('abd'));
  });
  it('never throws (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (input) => {
        const result = lookalike(input);
        expect(result === null || result.reasons.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
