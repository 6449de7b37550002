import {
  findPhoneNumbersInText,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js';

export type { CountryCode };

/** The region used for national numbers when none is given: Taiwan. */
export const DEFAULT_PHONE_REGION: CountryCode = 'TW';

/**
 * Two decimal digits in any script: libphonenumber reads nothing with fewer as a number (its
 * viable-number pattern needs two of its digits, which are all of Unicode category Nd).
 */
const TWO_DIGITS = /\p{Nd}\D*\p{Nd}/u;

/**
 * Parses a phone number as written (`0912-345-678`, `0912 345 678`, `+886 912 345 678`,
 * `(02)2345-6789`, full-width digits) and returns it in E.164 (`+886912345678`), via
 * libphonenumber-js. National numbers are read in `defaultRegion` (ISO 3166-1 alpha-2, default
 * `TW`). Returns `null` when the text is not a valid number for its region. Never throws.
 */
export function canonicalPhone(
  raw: string,
  defaultRegion: CountryCode = DEFAULT_PHONE_REGION,
): string | null {
  // A word without two digits (a LINE ID, a name) is not asked: libphonenumber-js throws and
  // catches a ParseError for it, a few percent of a computed check (bench/lookup --computed).
  if (!TWO_DIGITS.test(raw)) return null;
  try {
    const phone = parsePhoneNumberFromString(raw, defaultRegion);
    if (phone === undefined || !phone.isValid()) return null;
    return phone.number;
  } catch {
    return null;
  }
}

/** True when `code` is a region libphonenumber-js has a numbering plan for (ISO 3166-1 alpha-2). */
export function isPhoneRegion(code: string): code is CountryCode {
  return isSupportedCountry(code);
}

/** A phone number found in a text: E.164 value and its UTF-16 span. */
export interface FoundPhone {
  value: string;
  start: number;
  end: number;
}

/**
 * The valid phone numbers in `text` by libphonenumber-js's matcher (findPhoneNumbersInText,
 * leniency `valid`), national numbers read in `region`, in order. Like libphonenumber's own
 * `VALID` leniency (PhoneNumberMatcher.isNationalPrefixPresentIfRequired, which libphonenumber-js
 * leaves out), a number written nationally must carry the national prefix its region writes:
 * TW writes `0912 345 678`, so `20230507` (a date) and `24222282` (a Taipei number without its
 * area code) are not read as +886 2 0230507 or +886 2 4222282; PL writes `513 000 001` as is.
 * Never throws.
 */
export function phoneNumbersIn(text: string, region: CountryCode): readonly FoundPhone[] {
  const key = `${region}\u0000${text}`;
  const known = foundCache.get(key);
  if (known !== undefined) return known;
  let found: FoundPhone[];
  try {
    found = findPhoneNumbersInText(text, region).flatMap((match) =>
      writtenAsDialled(text.slice(match.startsAt, match.endsAt), match.number)
        ? [{ value: match.number.number, start: match.startsAt, end: match.endsAt }]
        : [],
    );
  } catch {
    found = [];
  }
  // The matcher costs 30–100 µs a call; messages repeat their numbers (and spam its messages).
  if (foundCache.size >= FOUND_CACHE_SIZE) foundCache.clear();
  foundCache.set(key, found);
  return found;
}

const FOUND_CACHE_SIZE = 10_000;
const foundCache = new Map<string, readonly FoundPhone[]>();

/**
 * True when `written` gives `phone` as it is dialled: in full international form (`+886 912…`,
 * `886912…`, an international call prefix and the number: its digits end with the E.164 digits),
 * or in national form with the national prefix the region writes (its digits are those of
 * `formatNational()`).
 */
function writtenAsDialled(written: string, phone: PhoneNumber): boolean {
  const digits = written.replace(/\D/g, '');
  if (digits.endsWith(phone.number.slice(1))) return true;
  return digits === phone.formatNational().replace(/\D/g, '');
}

/**
 * The E.164 number when `written` is a number dialled from `region` with an international call
 * prefix (`009-886-912345678` from TW: 009 is also a bank's code), else null: it must be valid,
 * and its country calling code must follow the prefix and be the region's own or be set off by
 * a separator (`007-1-234…`), so that a bank account such as `007-12345678901` is not read as
 * the US number +1 234 567 8901.
 */
export function internationalPhone(written: string, region: CountryCode): string | null {
  const phone = canonicalPhone(written, region);
  if (phone === null) return null;
  const digits = written.replace(/\D/g, '');
  const e164 = phone.slice(1);
  // The written digits are a prefix (starting with 0) and then the whole international number.
  if (!digits.endsWith(e164) || digits.length === e164.length || !digits.startsWith('0')) {
    return null;
  }
  const own = getCountryCallingCode(region);
  const callingCode = e164.startsWith(own)
    ? own
    : (parsePhoneNumberFromString(phone)?.countryCallingCode ?? '');
  if (callingCode === own) return phone;
  // Another country's code must be set off: the character after its last digit is a separator.
  let seen = 0;
  let at = 0;
  const wanted = digits.length - e164.length + callingCode.length;
  while (at < written.length && seen < wanted) {
    if (/\d/.test(written.charAt(at))) seen++;
    at++;
  }
  return /^[ -]/.test(written.slice(at)) ? phone : null;
}
