export { PUBLIC_ACTOR, actorLabel, assertCanDecide } from './actor.js';
export type { Actor, Role } from './actor.js';
export { AdminTokenAuthenticator, resolveAdminToken } from './admin-token.js';
