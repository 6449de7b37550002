/**
 * Reading a report sent as `multipart/form-data` (the web form with a screenshot): the text fields
 * become the same body the JSON route validates, and the one file part `screenshot` is read into
 * memory, bounded by REPORT_SCREENSHOT_MAX_BYTES. Every part is bounded (busboy limits), so a
 * multipart request can never be larger than one screenshot plus a few text fields.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../shared/errors.js';
import { REPORT_LIMITS } from './intake.service.js';
import { screenshotTooLarge } from './report-attachments.js';

/** The name of the file part of a report form. */
export const SCREENSHOT_FIELD = 'screenshot';

/** Text fields a report form may have (the JSON body's fields); others are refused by the schema. */
const MAX_FIELDS = 8;
/** Bytes of one text field: the longest message text in UTF-8 (at most 4 bytes a character). */
const MAX_FIELD_BYTES = REPORT_LIMITS.textChars * 4;

const CONSENT_VALUES: Readonly<Record<string, boolean>> = {
  true: true,
  on: true,
  yes: true,
  '1': true,
  false: false,
  off: false,
  no: false,
  '0': false,
};

/** A report form, read: the fields as a JSON-like body and the screenshot's bytes, if any. */
export interface ReportForm {
  body: Record<string, unknown>;
  screenshot: Buffer | undefined;
}

/**
 * The largest multipart report form that can be valid, bytes: one screenshot of at most
 * `maxScreenshotBytes`, MAX_FIELDS text fields at their limit, and 64 KiB for part headers and
 * boundaries. A request declaring a longer Content-Length is refused before its body is read.
 */
export function maxReportFormBytes(maxScreenshotBytes: number): number {
  return maxScreenshotBytes + MAX_FIELDS * MAX_FIELD_BYTES + 64 * 1024;
}

/**
 * Reads the multipart body of `request`: fields `url`, `text`, `platform`, `channel`, `contact`,
 * `consent` (`true`/`on`/`yes`/`1` or `false`/`off`/`no`/`0`; others are left for the schema to
 * refuse) and at most one file, `screenshot`, of at most `maxScreenshotBytes` bytes. Empty
 * fields and an empty file part with no name (a form with no file chosen) count as absent.
 * @throws AppError 413 `screenshot_too_large`; 400 `too_many_files`, `unexpected_file`,
 *   `duplicate_field`, `validation_failed` (a field over its size), `invalid_multipart`
 *   (malformed body); 413 `body_too_large` (too many parts).
 */
export async function readReportForm(
  request: FastifyRequest,
  maxScreenshotBytes: number,
): Promise<ReportForm> {
  const body: Record<string, unknown> = {};
  let screenshot: Buffer | undefined;
  let sawScreenshot = false;
  try {
    const parts = request.parts({
      limits: {
        fieldNameSize: 100,
        fieldSize: MAX_FIELD_BYTES,
        fields: MAX_FIELDS,
        files: 1,
        fileSize: maxScreenshotBytes,
        parts: MAX_FIELDS + 1,
        headerPairs: 20,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== SCREENSHOT_FIELD) {
          await part.toBuffer().catch(() => undefined);
          throw badRequest(
            'unexpected_file',
            `Only a file named "${SCREENSHOT_FIELD}" is accepted.`,
            part.fieldname,
          );
        }
        const bytes = await part.toBuffer();
        sawScreenshot = true;
        if (bytes.length > 0 || part.filename !== '') screenshot = bytes;
        continue;
      }
      const name = part.fieldname;
      if (Object.hasOwn(body, name) || (name === SCREENSHOT_FIELD && sawScreenshot)) {
        throw badRequest('duplicate_field', `The field "${name}" was sent twice.`, name);
      }
      if (part.valueTruncated || typeof part.value !== 'string') {
        throw badRequest('validation_failed', `Invalid body field "${name}".`, name);
      }
      const value = part.value;
      if (value === '') continue;
      body[name] =
        name === 'consent' ? (CONSENT_VALUES[value.trim().toLowerCase()] ?? value) : value;
    }
  } catch (error) {
    throw multipartError(error, maxScreenshotBytes);
  }
  return { body, screenshot };
}

/** Maps @fastify/multipart and busboy failures to scamnet's stable error codes. */
function multipartError(error: unknown, maxScreenshotBytes: number): unknown {
  if (error instanceof AppError) return error;
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return screenshotTooLarge(maxScreenshotBytes);
    case 'FST_FILES_LIMIT':
      return badRequest('too_many_files', 'Attach at most one screenshot.', SCREENSHOT_FIELD);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError(413, 'body_too_large', 'The form has too many fields.');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return badRequest('validation_failed', 'A form field has a name or value not allowed.');
    default:
      return new AppError(400, 'invalid_multipart', 'The multipart form could not be read.', {
        cause: error,
      });
  }
}
