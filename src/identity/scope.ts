import { badRequest } from '../shared/errors.js';
import { type Actor } from '../policy/index.js';

import { PLATFORMS, ROLES, type Role } from '../vocabulary/index.js';
import type { Platform } from '../vocabulary/index.js';
import { isPlatform } from '../vocabulary/index.js';
/** Roles an account or API key can hold (everyone but the anonymous public). */
export const ACCOUNT_ROLES = ROLES.filter(
  (role): role is Exclude<Role, 'public'> => role !== 'public',
);
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Most entities one verifier account or key may act for. */
export const MAX_ENTITIES = 100;
const MAX_ENTITY_ID_CHARS = 100;

/** Type guard for stored or submitted role strings that an account may hold. */
export function isAccountRole(value: string): value is AccountRole {
  return (ACCOUNT_ROLES as readonly string[]).includes(value);
}

/** What an account or key may act for: a verifier's entities, a platform liaison's platform. */
export interface Scope {
  role: AccountRole;
  entityIds: string[];
  platform: Platform | null;
}

/**
 * Checks and normalises a role with its entities and platform: a `verifier` acts for one or more
 * entity IDs (trimmed, deduplicated, sorted) and no platform; a `platform_liaison` for exactly one
 * platform and no entity; every other role for neither.
 * @throws AppError 400 `invalid_role`, `entity_required`, `platform_required` or `scope_mismatch`,
 *   naming the field.
 */
export function normaliseScope(input: {
  role: string;
  entityIds?: readonly string[] | undefined;
  platform?: string | null | undefined;
}): Scope {
  const { role } = input;
  if (!isAccountRole(role)) {
    throw badRequest(
      'invalid_role',
      `The role must be one of ${ACCOUNT_ROLES.join(', ')}.`,
      'role',
    );
  }
  const entityIds = [...new Set((input.entityIds ?? []).map((id) => id.trim()))].sort();
  if (entityIds.some((id) => id === '' || id.length > MAX_ENTITY_ID_CHARS)) {
    throw badRequest(
      'invalid_entity_id',
      `Entity IDs are 1 to ${MAX_ENTITY_ID_CHARS} characters.`,
      'entityIds',
    );
  }
  if (entityIds.length > MAX_ENTITIES) {
    throw badRequest('too_many_entities', `At most ${MAX_ENTITIES} entities.`, 'entityIds');
  }
  const platform = input.platform ?? null;
  if (platform !== null && !isPlatform(platform)) {
    throw badRequest(
      'invalid_platform',
      `The platform must be one of ${PLATFORMS.join(', ')}.`,
      'platform',
    );
  }
  if (role === 'verifier' && entityIds.length === 0) {
    throw badRequest('entity_required', 'A verifier acts for at least one entity.', 'entityIds');
  }
  if (role !== 'verifier' && entityIds.length > 0) {
    throw badRequest('scope_mismatch', 'Only a verifier is linked to entities.', 'entityIds');
  }
  if (role === 'platform_liaison' && platform === null) {
    throw badRequest('platform_required', 'A platform liaison acts for one platform.', 'platform');
  }
  if (role !== 'platform_liaison' && platform !== null) {
    throw badRequest(
      'scope_mismatch',
      'Only a platform liaison is linked to a platform.',
      'platform',
    );
  }
  return { role, entityIds, platform };
}

/**
 * The Actor for a principal (`user:…` or `apikey:…`) with a stored role and scope.
 * @returns undefined when the stored scope is inconsistent (treated as an invalid credential).
 */
export function actorFor(
  id: string,
  role: string,
  entityIds: readonly string[],
  platform: string | null,
): Actor | undefined {
  switch (role) {
    case 'verifier':
      return entityIds.length > 0 ? { role, id, entityIds: [...entityIds] } : undefined;
    case 'platform_liaison':
      return platform !== null && isPlatform(platform) ? { role, id, platform } : undefined;
    case 'reporter':
    case 'analyst':
    case 'admin':
      return { role, id };
    default:
      return undefined;
  }
}

/** The user ID behind an actor signed in with a web session (`user:<id>`), else undefined. */
export function userIdOf(actor: Actor): string | undefined {
  if (actor.role === 'public' || !actor.id.startsWith('user:')) return undefined;
  return actor.id.slice('user:'.length);
}
