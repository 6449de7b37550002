// Who is acting, and what each role may do (one policy table): checked in the services, not only
// in the routes.
export { PUBLIC_ACTOR, actorLabel, type Actor, type ActorOf } from './actor.js';
export { PERMISSIONS, authorize, can, type Permission, type RolesWith } from './permissions.js';
