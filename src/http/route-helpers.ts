import { Type, type TSchema, type TString } from '@sinclair/typebox';
import { ErrorResponseSchema } from './error-schema.js';

/** OpenAPI security of routes that take a bearer credential or a web session. */
export const SIGNED_IN: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** A route response map entry `{ status: ErrorResponse }` for each of `statuses`. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponseSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema]));
}

/** A response documented per media type: `{ description, content: { [mediaType]: { schema } } }`. */
export interface MediaResponse<S extends TSchema> {
  readonly description: string;
  readonly content: Record<string, { schema: S }>;
}

/**
 * A response entry for a body that is not serialized from an object: the media types it is
 * really sent as (RFC 6838 names without charset, e.g. `text/csv`; a parameter only where it
 * names the format, as in `application/stix+json;version=2.1`), each with `schema`. This is
 * Fastify 5's per-media-type response form, which @fastify/swagger copies into the OpenAPI 3.1
 * `content` map. Handlers answering with it set the type (`reply.type(…)`) and send a string or
 * Buffer, which Fastify passes through unserialized.
 */
export function mediaResponse<S extends TSchema>(
  description: string,
  mediaTypes: readonly string[],
  schema: S,
): MediaResponse<S> {
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema }])),
  };
}

/** A response entry for a text body (`text/plain`, `text/csv`, `text/html`, …) of one media type. */
export function textResponse(mediaType: string, description: string): MediaResponse<TString> {
  return mediaResponse(description, [mediaType], Type.String());
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
