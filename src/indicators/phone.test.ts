import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';

import { seededRandom } from '../../test/seeded-random.js';
import { canonicalPhone } from './phone.js';

/** canonicalPhone as libphonenumber-js alone answers it, without the two-digit pre-check. */
function libraryAnswer(raw: string, region: CountryCode): string | null {
  try {
    const phone = parsePhoneNumberFromString(raw, region);
    return phone !== undefined && phone.isValid() ? phone.number : null;
  } catch {
    return null;
  }
}

const REGIONS: CountryCode[] = ['TW', 'US', 'GB', 'NU', 'SH', 'JP'];

describe('canonicalPhone skips what has fewer than two digits', () => {
  it('answers as libphonenumber-js for words, vanity spellings and short numbers in any script', () => {
    const inputs = [
      '',
      'lai659',
      '@abc',
      '1',
      '+1',
      '1-800-FLOWERS',
      'FLOWERS',
      '１',
      '１２',
      '٠',
      '٠١',
      '۱',
      '۱۲',
      '+٨٨٦٩١٢٣٤٥٦٧٨',
      '+８８６ ９１２ ３４５ ６７８',
      '0912-345-678',
      '911',
      '4002',
      'tel:+886912345678',
      '\u200b0\u200b9',
    ];
    for (const region of REGIONS) {
      for (const raw of inputs)
        expect(canonicalPhone(raw, region), raw).toBe(libraryAnswer(raw, region));
    }
  });

  it('answers as libphonenumber-js on 20,000 random strings of digits of several scripts, letters and punctuation', () => {
    const random = seededRandom(14);
    const alphabet = [...'0123456789０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹+-() .abcxyzABC@#*'];
    let phones = 0;
    for (let n = 0; n < 20_000; n++) {
      const length = 1 + Math.floor(random() * 14);
      let raw = '';
      for (let i = 0; i < length; i++) raw += alphabet[Math.floor(random() * alphabet.length)];
      // One in four a Taiwanese mobile number with a random script's digits, so valid ones occur.
      if (n % 4 === 0) raw = `09${raw.replace(/\D/gu, '').slice(0, 8).padEnd(8, '5')}`;
      const region = REGIONS[n % REGIONS.length] ?? 'TW';
      const expected = libraryAnswer(raw, region);
      if (expected !== null) phones++;
      expect(canonicalPhone(raw, region), raw).toBe(expected);
    }
    expect(phones).toBeGreaterThan(100);
  });
});
