import { unauthorized } from '../shared/errors.js';

/** Roles (issue 4 grows this list; only these two exist until accounts arrive). */
export type Role = 'public' | 'admin';

/** Who is acting. Services check it; routes only resolve it from credentials. */
export type Actor = { readonly role: 'public' } | { readonly role: 'admin'; readonly id: string };

export const PUBLIC_ACTOR: Actor = Object.freeze({ role: 'public' });

/** The identifier recorded in history for an actor (`admin:token`, `system:import:tw165`, …). */
export function actorLabel(actor: Actor): string {
  return actor.role === 'admin' ? actor.id : 'public';
}

/**
 * Throws unless `actor` may record verdicts (admin for now; analysts and verifiers with the
 * workflow issue): 401 `unauthorized` for the anonymous public. (403 `forbidden` arrives with
 * roles that are signed in but not allowed.)
 */
export function assertCanDecide(actor: Actor): asserts actor is Extract<Actor, { role: 'admin' }> {
  if (actor.role === 'public') {
    throw unauthorized(
      'Only an analyst or administrator can set a verdict: send the admin bearer token.',
    );
  }
}
