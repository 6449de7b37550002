import { createHash, randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so IDs are easy to read aloud and type. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` random Crockford base32 characters (5 bits each) from a CSPRNG. */
export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += CROCKFORD[byte & 31];
  return out;
}

/**
 * Public case ID: `C` followed by 10 Crockford base32 characters (50 random bits), e.g.
 * `C7K2M9QX4TR`. Short and readable for citizens who quote it on the phone.
 */
export function newCaseId(): string {
  return `C${randomBase32(10)}`;
}

/** Report ID: `R` followed by 16 Crockford base32 characters (80 random bits). */
export function newReportId(): string {
  return `R${randomBase32(16)}`;
}

/** Lowercase hex SHA-256 of a UTF-8 string; the basis of content-addressed IDs. */
export function sha256Hex(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}
