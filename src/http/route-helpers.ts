import { ErrorResponseSchema } from './error-schema.js';

/** OpenAPI security of routes that take a bearer credential or a web session. */
export const SIGNED_IN: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** A route response map entry `{ status: ErrorResponse }` for each of `statuses`. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponseSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema]));
}
