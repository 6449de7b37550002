// The composition root of the HTTP API: registers every capability's routes on one Fastify app.
export { buildApp, type BuildAppOptions, type ScamnetApp } from './build-app.js';
