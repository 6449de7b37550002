// Who is acting, and what each role may do: checked in the services, not only in the routes.
export { PUBLIC_ACTOR, actorLabel, requireRole, type Actor, type ActorOf } from './actor.js';
