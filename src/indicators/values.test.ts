import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBankAccount } from './bank-account.js';
import { canonicalCryptoAddress } from './crypto-address.js';
import { canonicalLineId, lineIdVariants } from './line-id.js';
import { canonicalPhone } from './phone.js';

describe('canonicalPhone', () => {
  it.each([
    ['0912-345-678', '+886912345678'],
    ['0912 345 678', '+886912345678'],
    ['+886 912 345 678', '+886912345678'],
    ['+886-912-345-678', '+886912345678'],
    ['(02)2345-6789', '+886223456789'],
    ['02-2345-6789', '+886223456789'],
    ['０９１２３４５６７８', '+886912345678'],
    ['07-3550524', '+88673550524'],
    ['0800-000-123', '+886800000123'],
    ['+1 650 253 0000', '+16502530000'],
    ['12345', null],
    ['not a phone', null],
  ])('%s → %s', (raw, e164) => {
    expect(canonicalPhone(raw)).toBe(e164);
  });
  it('reads national numbers in the given region', () => {
    expect(canonicalPhone('020 7946 0958', 'GB')).toBe('+442079460958');
  });
});

describe('canonicalLineId', () => {
  it.each([
    ['@ABC123', '@abc123'],
    ['abc_123', 'abc_123'],
    ['~MyID', 'myid'],
    ['%40gkr5178r', '@gkr5178r'],
    ['ａｂｃ１２３', 'abc123'],
    ['ab\u200bc123', 'abc123'],
    [' a334567890', 'a334567890'],
    ['@yip3025T', '@yip3025t'],
    ['abc', null],
    ['has space', null],
    ['@', null],
    ['a'.repeat(21), null],
  ])('%j → %j', (raw, id) => {
    expect(canonicalLineId(raw)).toBe(id);
  });
});

describe('lineIdVariants', () => {
  it.each([
    ['lai659', ['lai659', '@lai659']],
    ['@lai659', ['@lai659', 'lai659']],
    // `@ab` is an official account; `ab` is too short to be a personal ID.
    ['@ab', ['@ab']],
    ['@abc', ['@abc']],
    ['a'.repeat(20), ['a'.repeat(20), `@${'a'.repeat(20)}`]],
  ])('%j → %j', (id, variants) => {
    expect(lineIdVariants(id)).toEqual(variants);
  });
});

describe('canonicalCryptoAddress', () => {
  it.each([
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'btc_base58', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc_base58', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    [
      'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ',
      'btc_bech32',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    ],
    [
      'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
      'btc_bech32',
      'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
    ],
    ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    [
      '0x52908400098527886E0F7030069857D2E4169EE7',
      'eth',
      '0x52908400098527886e0f7030069857d2e4169ee7',
    ],
  ])('%s is %s', (raw, kind, value) => {
    expect(canonicalCryptoAddress(raw)).toEqual({ kind, value });
  });
  it.each([
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr',
    'bc1qAR0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    '0x1234',
    'hello',
  ])('%s fails its checksum or shape', (raw) => {
    expect(canonicalCryptoAddress(raw)).toBeNull();
  });
  it('never throws (fast-check)', () => {
    fc.assert(fc.property(fc.string(), (raw) => void canonicalCryptoAddress(raw)));
  });
});

describe('canonicalBankAccount', () => {
  it('joins a bank code and digits', () => {
    expect(canonicalBankAccount('822', '1234-5678-9012')).toBe('822-123456789012');
    expect(canonicalBankAccount('700', '0001234 5678901')).toBe('700-00012345678901');
  });
  it('rejects other shapes', () => {
    expect(canonicalBankAccount('82', '123456789012')).toBeNull();
    expect(canonicalBankAccount('822', '123456')).toBeNull();
  });
});
