/**
 * What a citizen may add to a report besides the scam content: a contact for follow-up and a
 * screenshot. Both are the reporter's own data: stored with the report, shown to analysts only,
 * never on a public route and never in the public evidence log.
 */
import { fileTypeFromBuffer } from 'file-type';
import { canonicalPhone, type CountryCode } from '../indicators/index.js';
import { AppError, badRequest } from '../shared/errors.js';
import type { ReporterContactType } from '../vocabulary/index.js';

/** The image types a report's screenshot may have, by IANA media type. */
export const SCREENSHOT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ScreenshotType = (typeof SCREENSHOT_TYPES)[number];

/** Longest contact accepted, characters (an e-mail address is at most 254, RFC 5321 §4.5.3.1). */
export const CONTACT_MAX_CHARS = 254;

/** A reporter's contact in canonical form. */
export interface ReporterContact {
  type: ReporterContactType;
  /** E-mail address as given (domain lower-cased), or the phone number in E.164. */
  value: string;
}

/**
 * The WHATWG HTML "valid e-mail address" production (what `<input type=email>` accepts), with
 * one more rule: the domain must have a dot, since a follow-up e-mail needs a public domain.
 */
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** Longest local part of an e-mail address (RFC 5321 §4.5.3.1.1). */
const LOCAL_PART_MAX_CHARS = 64;

/**
 * Reads the contact a reporter gave: an e-mail address (anything with `@`, checked against the
 * WHATWG "valid e-mail address" production plus a dotted domain and RFC 5321 lengths) or a phone number (read by
 * libphonenumber-js in `defaultRegion`, returned in E.164). Blank means no contact.
 * @throws AppError 400 `invalid_contact` (field `contact`) when it is neither.
 */
export function parseContact(
  raw: string | undefined,
  defaultRegion: CountryCode,
): ReporterContact | undefined {
  const contact = raw?.trim() ?? '';
  if (contact === '') return undefined;
  if (contact.length <= CONTACT_MAX_CHARS) {
    if (contact.includes('@')) {
      const at = contact.lastIndexOf('@');
      if (EMAIL.test(contact) && at <= LOCAL_PART_MAX_CHARS) {
        return {
          type: 'email',
          value: `${contact.slice(0, at)}@${contact.slice(at + 1).toLowerCase()}`,
        };
      }
    } else {
      const phone = canonicalPhone(contact, defaultRegion);
      if (phone !== null) return { type: 'phone', value: phone };
    }
  }
  throw badRequest(
    'invalid_contact',
    'Give an e-mail address or a phone number we can reach you on, or leave the contact empty.',
    'contact',
  );
}

/**
 * The media type of a screenshot, decided by its magic bytes (via `file-type`), never by the
 * file name or the type the client claims.
 * @param bytes the whole file; `maxBytes` its largest allowed size in bytes.
 * @throws AppError 413 `screenshot_too_large` when longer than `maxBytes`; 400 `screenshot_type`
 *   when it is not PNG, JPEG or WebP (SVG, GIF, PDF, text… are refused). Both name field
 *   `screenshot`.
 */
export async function screenshotTypeOf(
  bytes: Uint8Array,
  maxBytes: number,
): Promise<ScreenshotType> {
  if (bytes.length > maxBytes) throw screenshotTooLarge(maxBytes);
  const detected = bytes.length === 0 ? undefined : await fileTypeFromBuffer(bytes);
  const mime = detected?.mime;
  if (!isScreenshotType(mime)) {
    throw badRequest(
      'screenshot_type',
      'The screenshot must be a PNG, JPEG or WebP image.',
      'screenshot',
    );
  }
  return mime;
}

function isScreenshotType(mime: string | undefined): mime is ScreenshotType {
  const allowed: readonly string[] = SCREENSHOT_TYPES;
  return mime !== undefined && allowed.includes(mime);
}

/** 413 `screenshot_too_large` (field `screenshot`, `maxBytes` in details). */
export function screenshotTooLarge(maxBytes: number): AppError {
  return new AppError(
    413,
    'screenshot_too_large',
    `The screenshot is larger than ${Math.floor(maxBytes / 1024)} KiB.`,
    { details: { field: 'screenshot', maxBytes } },
  );
}
