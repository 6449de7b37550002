export { blocklistDomains } from './blocklist.service.js';
export { registerBlocklistRoutes } from './blocklist.routes.js';
export { siteWideRefusal } from './protection.js';
