import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type { CountryCode };

/** The region used for national numbers when none is given: Taiwan. */
export const DEFAULT_PHONE_REGION: CountryCode = 'TW';

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
  try {
    const phone = parsePhoneNumberFromString(raw, defaultRegion);
    if (phone === undefined || !phone.isValid()) return null;
    return phone.number;
  } catch {
    return null;
  }
}
