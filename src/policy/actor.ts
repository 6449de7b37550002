import { forbidden, unauthorized } from '../shared/errors.js';

import type { Platform } from '../vocabulary/index.js';
import type { Role } from '../vocabulary/index.js';
/**
 * Who is acting. Routes resolve it from credentials; services decide with it.
 * `id` is the stable actor identifier recorded in history (`user:…`, `apikey:…`, `admin:token`).
 */
export type Actor =
  | { readonly role: 'public' }
  | { readonly role: 'reporter'; readonly id: string }
  | { readonly role: 'verifier'; readonly id: string; readonly entityIds: readonly string[] }
  | { readonly role: 'analyst'; readonly id: string }
  | { readonly role: 'platform_liaison'; readonly id: string; readonly platform: Platform }
  | { readonly role: 'admin'; readonly id: string };

/** An actor of one of the given roles. */
export type ActorOf<R extends Role> = Extract<Actor, { role: R }>;

export const PUBLIC_ACTOR: Actor = Object.freeze({ role: 'public' });

/** The identifier recorded in history for an actor (`admin:token`, `user:…`, or `public`). */
export function actorLabel(actor: Actor): string {
  return actor.role === 'public' ? 'public' : actor.id;
}

/**
 * Throws unless `actor` has one of `roles`: 401 `unauthorized` for the anonymous public (sign in
 * or send a token), 403 `forbidden` for a signed-in actor of another role.
 */
export function requireRole<const R extends Role>(
  actor: Actor,
  roles: readonly R[],
  action = 'do this',
): asserts actor is ActorOf<R> {
  if ((roles as readonly Role[]).includes(actor.role)) return;
  if (actor.role === 'public') {
    throw unauthorized(`Sign in or send a bearer token to ${action}.`);
  }
  throw forbidden(`A ${actor.role} may not ${action}.`);
}
