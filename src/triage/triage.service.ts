import type { Kysely } from 'kysely';
// Not through cases/index.js: triage is loaded while the cases ↔ identity schema modules are still
// initialising, and the index would evaluate them from the wrong end (a TDZ error at start-up).
import {
  caseNotFound,
  requireCase,
  findKnownScamHits,
  allIndicatorsOfCase,
  setCaseTriage,
  setTriageOverrides,
} from '../cases/index.js';

import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import type { Database } from '../store/index.js';

import {
  TRIAGE_FIELDS,
  triage,
  type TriageFacts,
  type TriageField,
  type TriageResult,
} from './triage.js';
import { loadTriageContext } from './triage-context.js';
import { partyHasPortal, reportTextsOf } from './triage.repo.js';

import { DEFAULT_PROTECTED_DOMAINS } from '../config/index.js';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import { isScamType, type ScamType } from '../vocabulary/index.js';
import type { Actor } from '../policy/index.js';
/** The stored triage of a case, as staff see it. */
export interface CaseTriage {
  caseId: string;
  stage: string;
  platform: string;
  scamType: string | null;
  impersonatedEntityId: string | null;
  riskScore: number | null;
  routedEntityId: string | null;
  triagedAt: string | null;
  overrides: TriageField[];
}

function parseOverrides(json: string): Set<TriageField> {
  const value: unknown = JSON.parse(json);
  const list = Array.isArray(value) ? value : [];
  return new Set(TRIAGE_FIELDS.filter((f) => list.includes(f)));
}

/** Reads what triage needs of a stored case: its reports' texts and titles, indicators, count. */
async function loadFacts(
  db: Kysely<Database>,
  caseId: string,
  platform: string,
  reportCount: number,
): Promise<TriageFacts> {
  const [reports, indicators] = await Promise.all([
    reportTextsOf(db, caseId),
    allIndicatorsOfCase(db, caseId),
  ]);
  const text = reports
    .flatMap((r) => [r.title, r.text].filter((t): t is string => t !== null))
    .join('\n');
  return { text, platform, indicators, reportCount };
}

/**
 * Runs triage on a case inside the caller's transaction and stores the result: platform, scam
 * type, impersonated entity, risk score and routed entity (fields an analyst overrode are kept),
 * the stage (`triage` → `verification` once routed, for an undecided case) and the public status
 * (`awaiting_party` when routed to the impersonated entity itself and it has a verifier account
 * or key, so the case is in its queue). Looks up the confirmed scams sharing an indicator with
 * the case (findKnownScamHits) unless `facts` carries them, and records them in `case.triaged`
 * (`knownScams`) with the risk they raise.
 * @param facts what is already known (a new case's report), or undefined to read it from the store.
 * @returns the triage result and whether the case is now awaiting its verifier.
 * @throws AppError 404 `case_not_found`.
 */
export async function triageCase(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock' | 'db'>,
  caseId: string,
  actor: string,
  facts?: TriageFacts,
): Promise<TriageResult & { awaitingVerification: boolean }> {
  const row = await requireCase(trx, caseId);
  const context = await loadTriageContext(trx, deps.db);
  const overrides = parseOverrides(row.overrides);
  const read = facts ?? (await loadFacts(trx, caseId, row.platform, Number(row.report_count)));
  const input: TriageFacts = {
    ...read,
    knownScams: read.knownScams ?? (await findKnownScamHits(trx, read.indicators, caseId)),
  };
  const result = triage(input, context, DEFAULT_PROTECTED_DOMAINS, overrides, {
    platform: row.platform,
    scamType: row.scam_type,
    impersonatedEntityId: row.impersonated_entity_id,
    riskScore: row.risk_score,
    routedEntityId: row.routed_entity_id,
  });
  const at = isoTime(deps.clock.now());
  const undecided = row.verdict === 'undecided';
  const open = row.stage === 'triage' || row.stage === 'verification' || row.stage === 'need_info';
  const awaitingVerification = undecided && open && result.routedEntityId !== null;
  const stage = awaitingVerification && row.stage === 'triage' ? 'verification' : row.stage;
  // 「已通知本人」 only when the party can see the case: a verifier account or key of its own
  // (its portal queue). A decision-link e-mail makes it so once delivered (takedown/delivery.ts).
  const awaitingParty =
    awaitingVerification &&
    result.impersonated !== null &&
    result.routedEntityId === result.impersonated.id &&
    (await partyHasPortal(trx, result.impersonated.id));
  const status = undecided ? (awaitingParty ? 'awaiting_party' : 'processing') : row.status;
  const after = {
    platform: result.platform,
    scamType: result.scamType,
    impersonatedEntityId: result.impersonated?.id ?? null,
    riskScore: result.riskScore,
    routedEntityId: result.routedEntityId,
    stage,
  };
  await setCaseTriage(trx, caseId, { ...after, status, at });
  await recordEvent(trx, {
    type: 'case.triaged',
    subjectType: 'case',
    subjectId: caseId,
    actor,
    at,
    data: {
      before: {
        platform: row.platform,
        scamType: row.scam_type,
        impersonatedEntityId: row.impersonated_entity_id,
        riskScore: row.risk_score,
        routedEntityId: row.routed_entity_id,
        stage: row.stage,
      },
      after,
      scamKeywords: result.scamKeywords,
      scamTypeSource: result.scamTypeSource,
      scamProbability: result.scamProbability,
      scamSource: result.scamSource,
      impersonationEvidence: result.impersonated?.evidence ?? [],
      ruleId: result.ruleId,
      lookalikes: result.lookalikes,
      // The confirmed scams this content shares an indicator with (their values are on their
      // public pages; the link is what triage adds).
      knownScams: result.knownScams.map((k) => ({ caseId: k.caseId, type: k.type })),
      routedTo: awaitingParty
        ? 'impersonated_party'
        : result.routedEntityId === null
          ? null
          : 'agency',
    },
  });
  return { ...result, awaitingVerification };
}

/** The stored triage fields of a case (staff). */
export async function getCaseTriage(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  caseId: string,
): Promise<CaseTriage> {
  authorize(actor, 'triage.read');
  const row = await requireCase(deps.db, caseId);
  if (
    actor.role === 'verifier' &&
    (row.routed_entity_id === null || !actor.entityIds.includes(row.routed_entity_id))
  ) {
    throw caseNotFound(caseId);
  }
  return {
    caseId: row.id,
    stage: row.stage,
    platform: row.platform,
    scamType: row.scam_type,
    impersonatedEntityId: row.impersonated_entity_id,
    riskScore: row.risk_score === null ? null : Number(row.risk_score),
    routedEntityId: row.routed_entity_id,
    triagedAt: row.triaged_at,
    overrides: [...parseOverrides(row.overrides)],
  };
}

export interface TriageOverride {
  platform?: string | undefined;
  scamType?: ScamType | undefined;
  impersonatedEntityId?: string | null | undefined;
  riskScore?: number | undefined;
  routedEntityId?: string | undefined;
  /** Why (required): kept in the audit trail. */
  reason: string;
}

/**
 * An analyst overrides triage fields of a case; the overridden fields are marked so later
 * triage keeps them, the case is re-triaged (re-routing it when the route changed) and the
 * override is recorded with before/after and the reason, all in one transaction.
 * @throws 400 `validation_failed` for an unknown entity or scam type; 404 `case_not_found`.
 */
export async function overrideTriage(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
  input: TriageOverride,
): Promise<CaseTriage> {
  authorize(actor, 'triage.override');
  if (input.scamType !== undefined && !isScamType(input.scamType)) {
    throw badRequest(
      'validation_failed',
      `Unknown scam type ${String(input.scamType)}.`,
      'scamType',
    );
  }
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireCase(trx, caseId);
    const context = await loadTriageContext(trx, deps.db);
    for (const [field, id] of [
      ['impersonatedEntityId', input.impersonatedEntityId],
      ['routedEntityId', input.routedEntityId],
    ] as const) {
      if (typeof id === 'string' && !context.entityKinds.has(id)) {
        throw badRequest('validation_failed', `No enabled entity ${id}.`, field);
      }
    }
    const overrides = parseOverrides(row.overrides);
    const set: Record<string, string | number | null> = {};
    const columns: ReadonlyArray<[TriageField, string, string | number | null | undefined]> = [
      ['platform', 'platform', input.platform],
      ['scamType', 'scam_type', input.scamType],
      ['impersonatedEntityId', 'impersonated_entity_id', input.impersonatedEntityId],
      ['riskScore', 'risk_score', input.riskScore],
      ['routedEntityId', 'routed_entity_id', input.routedEntityId],
    ];
    for (const [field, column, value] of columns) {
      if (value === undefined) continue;
      overrides.add(field);
      set[column] = value;
    }
    await setTriageOverrides(trx, caseId, input, [...overrides]);
    await recordEvent(trx, {
      type: 'case.triage_override',
      subjectType: 'case',
      subjectId: caseId,
      actor: actorLabel(actor),
      at: isoTime(deps.clock.now()),
      data: { fields: Object.keys(set), reason: input.reason, values: set },
    });
    await triageCase(trx, deps, caseId, actorLabel(actor));
  });
  return getCaseTriage(deps, actor, caseId);
}

/**
 * Routes an undecided, open case to `entityId` because that entity's own verifier reported it
 * (the impersonated party's own channel, issue 15): the impersonated and routed entity are set
 * as an override (later triage keeps them), recorded as `case.triage_override` with the reason,
 * and the case is triaged again (stage `verification`), inside the caller's transaction.
 * @returns true when the case is now routed to `entityId`; false when it was decided or closed
 *   already, or the entity is unknown or disabled (nothing changed).
 * @throws AppError 404 `case_not_found`.
 */
export async function routeToOwnParty(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock' | 'db'>,
  caseId: string,
  entityId: string,
  actor: string,
): Promise<boolean> {
  const row = await requireCase(trx, caseId);
  const open = row.stage === 'triage' || row.stage === 'verification' || row.stage === 'need_info';
  if (row.verdict !== 'undecided' || !open) return false;
  if (row.routed_entity_id === entityId && row.impersonated_entity_id === entityId) return true;
  const context = await loadTriageContext(trx, deps.db);
  if (!context.entityKinds.has(entityId)) return false;
  const overrides = parseOverrides(row.overrides);
  overrides.add('impersonatedEntityId');
  overrides.add('routedEntityId');
  const values = { impersonatedEntityId: entityId, routedEntityId: entityId };
  await setTriageOverrides(trx, caseId, values, [...overrides]);
  await recordEvent(trx, {
    type: 'case.triage_override',
    subjectType: 'case',
    subjectId: caseId,
    actor,
    at: isoTime(deps.clock.now()),
    data: {
      fields: ['impersonated_entity_id', 'routed_entity_id'],
      reason: "reported by the impersonated party's own verifier",
      values: { impersonated_entity_id: entityId, routed_entity_id: entityId },
    },
  });
  await triageCase(trx, deps, caseId, actor);
  return true;
}
