import { lookalike, matchKey, registrableDomain } from '../indicators/index.js';
import { riskScore } from './risk.js';
import { routeCase } from './routing.js';
import {
  decideScam,
  shippedScamClassifier,
  type ScamClassifierModel,
} from '../classifier/index.js';

import type { TriageContext } from './triage-context.js';

import { isScamType, type ScamType } from '../vocabulary/index.js';
/** Triage fields an analyst can override (kept on re-triage). */
export const TRIAGE_FIELDS = [
  'platform',
  'scamType',
  'impersonatedEntityId',
  'riskScore',
  'routedEntityId',
] as const;
export type TriageField = (typeof TRIAGE_FIELDS)[number];

/**
 * Registrable domains of a case checked for lookalikes, at most (the first ones, in indicator
 * order). Each check compares one domain with every official and protected domain (about 1 ms),
 * so a text of 2,000 distinct links held the event loop for over a second; scam content names a
 * handful of sites.
 */
export const LOOKALIKE_DOMAINS = 20;

/** What triage reads of a case. */
export interface TriageFacts {
  /** Every report's text and title, joined. */
  text: string;
  platform: string;
  indicators: ReadonlyArray<{ type: string; value: string }>;
  reportCount: number;
  /** A scam type given by a structured source (e.g. 165's investment-site list). */
  scamTypeHint?: ScamType | undefined;
  /**
   * Confirmed scams holding an indicator of this content (cases/matches.service.ts
   * findKnownScamHits); triageCase looks them up when not given.
   */
  knownScams?: readonly KnownScamLink[] | undefined;
}

/** A confirmed scam case sharing an indicator with the content triaged. */
export interface KnownScamLink {
  caseId: string;
  type: string;
  value: string;
}

/** The outcome of triage. */
export interface TriageResult {
  platform: string;
  scamType: ScamType;
  /** Scam-type keywords the rules found in the text (whichever source decided). */
  scamKeywords: string[];
  /** Who decided `scamType`: the trained model, the keyword rules, a structured hint, an analyst. */
  scamTypeSource: 'model' | 'rules' | 'hint' | 'override';
  /** The trained model's probability that the text is a scam, 0–1. */
  scamProbability: number;
  /** Who gave the risk score its text signal: the model's probability or the keyword count. */
  scamSource: 'model' | 'rules';
  impersonated: { id: string; kind: string; via: 'name' | 'domain'; evidence: string[] } | null;
  riskScore: number;
  routedEntityId: string | null;
  /** The routing rule that chose `routedEntityId`. */
  ruleId: number | null;
  /** Protected domains the case's domains imitate. */
  lookalikes: Array<{ domain: string; imitates: string }>;
  /** Confirmed scams sharing an indicator with the content (raise the risk score). */
  knownScams: KnownScamLink[];
}

/**
 * Automatic triage (分案) of a case, pure: scam probability and scam type by the trained
 * classifier (`decideScam`: the model, or the keyword rules for the classes the model file says
 * they did better on in validation; a structured hint when that gives `other`), impersonated
 * entity by alias matching over the text (Aho–Corasick) or by a domain imitating an entity's
 * official domain (the first LOOKALIKE_DOMAINS registrable domains), a risk score (risk.ts; a
 * known scam among `facts.knownScams` raises it) and the routed entity from the rules.
 * `current` values of fields in `overrides` are kept as the analyst set them.
 * @param model the classifier; the shipped data/classifier/model.json by default.
 */
export function triage(
  facts: TriageFacts,
  context: TriageContext,
  protectedDomains: readonly string[],
  overrides: ReadonlySet<TriageField> = new Set(),
  current: Partial<Record<TriageField, string | number | null>> = {},
  model: ScamClassifierModel = shippedScamClassifier(),
): TriageResult {
  const decided = decideScam(model, facts.text);
  let scamType: ScamType = decided.scamType;
  let scamTypeSource: TriageResult['scamTypeSource'] = decided.scamTypeSource;
  if (scamType === 'other' && facts.scamTypeHint) {
    scamType = facts.scamTypeHint;
    scamTypeSource = 'hint';
  }
  const currentScamType = current.scamType;
  if (
    overrides.has('scamType') &&
    typeof currentScamType === 'string' &&
    isScamType(currentScamType)
  ) {
    scamType = currentScamType;
    scamTypeSource = 'override';
  }

  const domains = new Set<string>();
  let shortener = false;
  for (const i of facts.indicators) {
    if (i.type !== 'url' && i.type !== 'domain') continue;
    const url = i.type === 'url' ? i.value : `http://${i.value}/`;
    if (matchKey(url)?.shortener === true) shortener = true;
    const domain = registrableDomain(url);
    if (domain !== null && domains.size < LOOKALIKE_DOMAINS) domains.add(domain);
  }
  const lookalikes: TriageResult['lookalikes'] = [];
  const officialDomains = [...context.domainOwners.keys()];
  let byDomain: TriageResult['impersonated'] = null;
  for (const domain of domains) {
    const againstEntities =
      officialDomains.length === 0 ? null : lookalike(domain, officialDomains);
    if (againstEntities !== null) {
      const owner = context.domainOwners.get(againstEntities.protectedDomain);
      const kind = owner === undefined ? undefined : context.entityKinds.get(owner);
      if (owner !== undefined && kind !== undefined && byDomain === null) {
        byDomain = { id: owner, kind, via: 'domain', evidence: [domain] };
      }
    }
    const againstProtected = lookalike(domain, protectedDomains);
    if (againstProtected !== null)
      lookalikes.push({ domain, imitates: againstProtected.protectedDomain });
  }
  const [byName] = context.matcher.match(facts.text);
  let impersonated: TriageResult['impersonated'] =
    byName !== undefined
      ? { id: byName.entityId, kind: byName.kind, via: 'name', evidence: byName.names }
      : byDomain;
  if (overrides.has('impersonatedEntityId')) {
    const id = current.impersonatedEntityId;
    const kind = typeof id === 'string' ? context.entityKinds.get(id) : undefined;
    impersonated =
      typeof id === 'string' && kind !== undefined ? { id, kind, via: 'name', evidence: [] } : null;
  }
  const platform =
    overrides.has('platform') && typeof current.platform === 'string'
      ? current.platform
      : facts.platform;

  const contactOrPayment = facts.indicators.filter((i) =>
    ['line_id', 'phone', 'crypto_address', 'bank_account'].includes(i.type),
  ).length;
  let score = riskScore({
    keywordHits: decided.keywords.length,
    scamProbability: decided.scamSource === 'model' ? decided.scam : undefined,
    impersonation: impersonated !== null,
    shortener,
    contactOrPayment,
    lookalike: lookalikes.length > 0 || byDomain !== null,
    reportCount: facts.reportCount,
    knownScam: (facts.knownScams ?? []).length > 0,
  });
  if (overrides.has('riskScore') && typeof current.riskScore === 'number')
    score = current.riskScore;

  let routed = routeCase(
    context.rules,
    {
      scamType,
      impersonated: impersonated === null ? null : { id: impersonated.id, kind: impersonated.kind },
      platform,
    },
    (id) => context.entityKinds.has(id),
  );
  if (overrides.has('routedEntityId') && typeof current.routedEntityId === 'string') {
    routed = { entityId: current.routedEntityId, ruleId: -1 };
  }
  return {
    platform,
    scamType,
    scamKeywords: decided.keywords,
    scamTypeSource,
    scamProbability: decided.scam,
    scamSource: decided.scamSource,
    impersonated,
    riskScore: score,
    routedEntityId: routed?.entityId ?? null,
    ruleId: routed === null || routed.ruleId < 0 ? null : routed.ruleId,
    lookalikes,
    knownScams: [...(facts.knownScams ?? [])],
  };
}
