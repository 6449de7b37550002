import { Type } from '@sinclair/typebox';
import { ErrorResponseSchema } from './error-schema.js';

/** OpenAPI security of routes that take a bearer credential or a web session. */
export const SIGNED_IN: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** A route response map entry `{ status: ErrorResponse }` for each of `statuses`. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponseSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema]));
}

/**
 * The query parameter of every CSV route: `bom=true` (or `1`) starts the file with a UTF-8 byte
 * order mark so that Excel opens it as UTF-8; default without.
 */
export const CSV_BOM_QUERY = {
  bom: Type.Optional(
    Type.Union(
      [Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')],
      {
        description: 'true or 1: start with a UTF-8 byte order mark (for Excel)',
      },
    ),
  ),
};

/** True when a CSV route's query asks for a byte order mark (see CSV_BOM_QUERY). */
export function wantsBom(query: { bom?: string | undefined }): boolean {
  return query.bom === 'true' || query.bom === '1';
}
