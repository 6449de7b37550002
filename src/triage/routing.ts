import type { ScamType } from '../vocabulary/index.js';

import type { ImpersonatedKind } from '../vocabulary/index.js';
/** One routing rule; `null` fields match anything. */
export interface RoutingRule {
  id: number;
  priority: number;
  scamType: ScamType | null;
  impersonatedKind: ImpersonatedKind | null;
  platform: string | null;
  /** `impersonated`: the impersonated entity itself; otherwise an entity ID. */
  target: string;
  enabled: boolean;
}

export interface RoutingFacts {
  scamType: ScamType;
  impersonated: { id: string; kind: string } | null;
  platform: string;
}

/**
 * The entity that confirms a case: the target of the first enabled rule, in ascending priority
 * (then id), whose scam type, impersonated-entity kind and platform all match. A rule targeting
 * `impersonated` matches only when an entity is impersonated. `knownEntity` filters out targets
 * that no longer exist or are disabled, so routing falls through to the next rule.
 * @returns the entity ID and the rule that chose it, or null when no rule matches.
 */
export function routeCase(
  rules: readonly RoutingRule[],
  facts: RoutingFacts,
  knownEntity: (id: string) => boolean,
): { entityId: string; ruleId: number } | null {
  const ordered = [...rules]
    .filter((r) => r.enabled)
    .sort((a, b) => a.priority - b.priority || a.id - b.id);
  for (const rule of ordered) {
    if (rule.scamType !== null && rule.scamType !== facts.scamType) continue;
    if (rule.platform !== null && rule.platform !== facts.platform) continue;
    const kind = rule.impersonatedKind;
    if (kind === 'none' && facts.impersonated !== null) continue;
    if (kind === 'any' && facts.impersonated === null) continue;
    if (kind !== null && kind !== 'none' && kind !== 'any' && facts.impersonated?.kind !== kind)
      continue;
    const entityId = rule.target === 'impersonated' ? facts.impersonated?.id : rule.target;
    if (entityId === undefined || !knownEntity(entityId)) continue;
    return { entityId, ruleId: rule.id };
  }
  return null;
}
