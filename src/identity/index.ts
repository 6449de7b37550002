export {
  PUBLIC_ACTOR,
  ROLES,
  actorLabel,
  assertCanDecide,
  requireRole,
  type Actor,
  type ActorOf,
  type Role,
} from './actor.js';
export { AdminTokenAuthenticator, resolveAdminToken } from './admin-token.js';
