export type { App, CredentialRequest, RequestAuthenticator, RouteContext } from './types.js';
export { clientErrorHandler, errorHandler } from './error-handler.js';
export { ErrorResponseSchema } from './error-schema.js';
export { API_SECURITY_HEADERS, helmetHeaders, securityHeadersHook } from './security-headers.js';
export {
  CSV_BOM_QUERY,
  PAGE_FIELDS,
  SIGNED_IN,
  ageQuery,
  bearerRoute,
  errorResponses,
  mediaResponse,
  pageBody,
  pagingQuery,
  perClientLimit,
  sharedClientLimit,
  sharedLimitConfig,
  signedInRoute,
  searchQuery,
  textResponse,
  wantsBom,
} from './route-helpers.js';
export {
  DecidedVerdictSchema,
  NullableInteger,
  NullableString,
  PlatformSchema,
  VerdictSchema,
  literalUnion,
} from './schemas.js';
