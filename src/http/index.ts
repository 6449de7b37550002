export { buildApp, type BuildAppOptions, type ScamnetApp } from './build-app.js';
export type { App, RouteContext } from './types.js';
