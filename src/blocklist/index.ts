export { blocklistDomains } from './blocklist.service.js';
export { registerBlocklistRoutes } from './blocklist.routes.js';
