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
