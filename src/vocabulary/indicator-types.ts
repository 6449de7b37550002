/** The kinds of indicator (DESIGN.md vocabulary). */
export type IndicatorType =
  'url' | 'domain' | 'ip' | 'email' | 'phone' | 'line_id' | 'crypto_address' | 'bank_account';

/** Every indicator type. */
export const INDICATOR_TYPES: readonly IndicatorType[] = Object.freeze([
  'url',
  'domain',
  'ip',
  'email',
  'phone',
  'line_id',
  'crypto_address',
  'bank_account',
]);
