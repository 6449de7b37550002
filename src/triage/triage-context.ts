import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { EntityMatcher } from './entity-matcher.js';
import { type RoutingRule } from './routing.js';
import { listEnabledEntities, listRoutingRuleRows } from './triage.repo.js';

import { IMPERSONATED_KINDS, isScamType } from '../vocabulary/index.js';
/** What triage needs of the entity registry and routing rules. */
export interface TriageContext {
  matcher: EntityMatcher;
  rules: RoutingRule[];
  /** Enabled entities: ID → kind. */
  entityKinds: Map<string, string>;
  /** Official domain (lower case) → entity ID. */
  domainOwners: Map<string, string>;
}

/** Cached contexts per store handle; the entities service drops them on every write. */
const contexts = new WeakMap<object, { at: number; context: TriageContext }>();
/** How long a process trusts its cached registry (another process may have changed it), ms. */
const CONTEXT_TTL_MS = 30_000;

function strings(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Drops the cached triage context of `db` (after a registry or rule change). */
export function invalidateTriageContext(db: Kysely<Database>): void {
  contexts.delete(db);
}

/**
 * The entity matcher (every enabled entity's names and aliases), the routing rules and entity
 * kinds; cached per store for CONTEXT_TTL_MS of real time so intake does not reload the registry
 * for every case. Inside a transaction pass the store's root handle as `cacheKey` (every
 * transaction is a new handle).
 */
export async function loadTriageContext(
  db: Kysely<Database>,
  cacheKey: Kysely<Database> = db,
): Promise<TriageContext> {
  const cached = contexts.get(cacheKey);
  if (cached !== undefined && Date.now() - cached.at < CONTEXT_TTL_MS) return cached.context;
  const [entities, rules] = await Promise.all([listEnabledEntities(db), listRoutingRuleRows(db)]);
  const domainOwners = new Map<string, string>();
  for (const e of entities)
    for (const d of strings(e.domains)) domainOwners.set(d.toLowerCase(), e.id);
  const context: TriageContext = {
    matcher: new EntityMatcher(
      entities.map((e) => ({
        id: e.id,
        kind: e.kind,
        names: [e.name_zh, ...(e.name_en === null ? [] : [e.name_en]), ...strings(e.aliases)],
      })),
    ),
    rules: rules.map((r) => ({
      id: Number(r.id),
      priority: r.priority,
      scamType: r.scam_type !== null && isScamType(r.scam_type) ? r.scam_type : null,
      impersonatedKind: IMPERSONATED_KINDS.find((k) => k === r.impersonated_kind) ?? null,
      platform: r.platform,
      target: r.target,
      enabled: Number(r.enabled) === 1,
    })),
    entityKinds: new Map(entities.map((e) => [e.id, e.kind])),
    domainOwners,
  };
  contexts.set(cacheKey, { at: Date.now(), context });
  return context;
}
