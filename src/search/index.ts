export { lookupText, lookupUrl, LOOKUP_LIMIT, type LookupResult } from './lookup.service.js';
export { registerLookupRoutes } from './lookup.routes.js';
