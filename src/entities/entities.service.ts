import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict, forbidden, notFound } from '../shared/errors.js';
import { invalidateTriageContext, type RoutingRule } from '../triage/index.js';
import {
  findEntityRow,
  insertEntityRow,
  listEntityRows,
  listRuleRows,
  replaceRuleRows,
  updateEntityRow,
  type EntityRow,
  type RuleRow,
} from './entities.repo.js';

import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import { ENTITY_KINDS, IMPERSONATED_KINDS, isScamType } from '../vocabulary/index.js';
import type { Actor } from '../policy/index.js';
import type { EntityKind, ImpersonatedKind } from '../vocabulary/index.js';
/** An entity as the API shows it to staff. */
export interface Entity {
  id: string;
  kind: EntityKind;
  nameZh: string;
  nameEn: string | null;
  aliases: string[];
  domains: string[];
  contactEmail: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface EntityInput {
  id: string;
  kind: EntityKind;
  nameZh: string;
  nameEn?: string | undefined;
  aliases?: string[] | undefined;
  domains?: string[] | undefined;
  contactEmail?: string | undefined;
}

export type EntityPatch = Partial<Omit<EntityInput, 'id'>> & { disabled?: boolean | undefined };

export interface RuleInput {
  priority: number;
  scamType?: string | null | undefined;
  impersonatedKind?: ImpersonatedKind | null | undefined;
  platform?: string | null | undefined;
  target: string;
  note?: string | null | undefined;
  enabled?: boolean | undefined;
}

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function kindOf(value: string): EntityKind {
  return ENTITY_KINDS.find((k) => k === value) ?? 'agency';
}

/** Maps a stored row to the API shape. */
export function presentEntity(row: EntityRow): Entity {
  return {
    id: row.id,
    kind: kindOf(row.kind),
    nameZh: row.name_zh,
    nameEn: row.name_en,
    aliases: parseList(row.aliases),
    domains: parseList(row.domains),
    contactEmail: row.contact_email,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * An entity as its audit events' public fields record it: everything but the contact address,
 * which the events seal (evidence/event-types.ts: log leaves are public).
 */
function entityForLog(entity: Entity): Omit<Entity, 'contactEmail'> {
  return {
    id: entity.id,
    kind: entity.kind,
    nameZh: entity.nameZh,
    nameEn: entity.nameEn,
    aliases: entity.aliases,
    domains: entity.domains,
    disabled: entity.disabled,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/** A routing rule as the public fields of `routing_rules.replaced` record it: no note. */
function ruleForLog(rule: RuleInput): Omit<RuleInput, 'note'> {
  return {
    priority: rule.priority,
    scamType: rule.scamType ?? null,
    impersonatedKind: rule.impersonatedKind ?? null,
    platform: rule.platform ?? null,
    target: rule.target,
    enabled: rule.enabled !== false,
  };
}

/** Maps a stored routing rule to the API shape. */
export function presentRule(row: RuleRow): RoutingRule & { note: string | null } {
  const impersonatedKind = IMPERSONATED_KINDS.find((k) => k === row.impersonated_kind) ?? null;
  return {
    id: Number(row.id),
    priority: row.priority,
    scamType: row.scam_type !== null && isScamType(row.scam_type) ? row.scam_type : null,
    impersonatedKind,
    platform: row.platform,
    target: row.target,
    enabled: Number(row.enabled) === 1,
    note: row.note,
  };
}

const ENTITY_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

function validateEntity(input: EntityInput | EntityPatch, id?: string): void {
  if (id !== undefined && !ENTITY_ID.test(id)) {
    throw badRequest(
      'validation_failed',
      'Entity id: 2–64 lower-case letters, digits and hyphens.',
      'id',
    );
  }
  for (const d of input.domains ?? []) {
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(d))
      throw badRequest('validation_failed', `Not a domain: ${d}`, 'domains');
  }
}

/**
 * Lists the registry. Analysts and admins see every entity; a verifier sees only the entities
 * they act for; nobody else may read it (contact addresses are not public).
 */
export async function listEntities(deps: Pick<ServiceDeps, 'db'>, actor: Actor): Promise<Entity[]> {
  authorize(actor, 'entity.read');
  const rows = await listEntityRows(deps.db, actor.role !== 'verifier');
  const all = rows.map(presentEntity);
  return actor.role === 'verifier' ? all.filter((e) => actor.entityIds.includes(e.id)) : all;
}

/** One entity, with the same visibility as listEntities. @throws 404 `entity_not_found`. */
export async function getEntity(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  id: string,
): Promise<Entity> {
  authorize(actor, 'entity.read');
  if (actor.role === 'verifier' && !actor.entityIds.includes(id))
    throw forbidden('Not one of your entities.');
  const row = await findEntityRow(deps.db, id);
  if (row === undefined) throw notFound('entity_not_found', `No entity ${id}.`);
  return presentEntity(row);
}

/**
 * Adds an entity (analysts and admins). Recorded in the audit trail.
 * @throws 409 `entity_exists`; 400 `validation_failed`.
 */
export async function createEntity(
  deps: ServiceDeps,
  actor: Actor,
  input: EntityInput,
): Promise<Entity> {
  authorize(actor, 'entity.create');
  validateEntity(input, input.id);
  const at = isoTime(deps.clock.now());
  const row: EntityRow = {
    id: input.id,
    kind: input.kind,
    name_zh: input.nameZh.trim(),
    name_en: input.nameEn?.trim() || null,
    aliases: JSON.stringify(input.aliases ?? []),
    domains: JSON.stringify((input.domains ?? []).map((d) => d.toLowerCase())),
    contact_email: input.contactEmail ?? null,
    created_at: at,
    updated_at: at,
    disabled_at: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    if ((await findEntityRow(trx, input.id)) !== undefined) {
      throw conflict('entity_exists', `Entity ${input.id} already exists.`);
    }
    await insertEntityRow(trx, row);
    await recordEvent(trx, {
      type: 'entity.created',
      subjectType: 'entity',
      subjectId: row.id,
      actor: actorLabel(actor),
      at,
      data: { after: entityForLog(presentEntity(row)), contactEmail: row.contact_email },
    });
  });
  invalidateTriageContext(deps.db);
  return presentEntity(row);
}

/** Changes an entity (analysts and admins); before and after are recorded. @throws 404. */
export async function updateEntity(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: EntityPatch,
): Promise<Entity> {
  authorize(actor, 'entity.update');
  validateEntity(patch);
  const at = isoTime(deps.clock.now());
  const after = await deps.db.transaction().execute(async (trx) => {
    const before = await findEntityRow(trx, id);
    if (before === undefined) throw notFound('entity_not_found', `No entity ${id}.`);
    const row: EntityRow = {
      ...before,
      ...(patch.kind === undefined ? {} : { kind: patch.kind }),
      ...(patch.nameZh === undefined ? {} : { name_zh: patch.nameZh.trim() }),
      ...(patch.nameEn === undefined ? {} : { name_en: patch.nameEn.trim() || null }),
      ...(patch.aliases === undefined ? {} : { aliases: JSON.stringify(patch.aliases) }),
      ...(patch.domains === undefined
        ? {}
        : { domains: JSON.stringify(patch.domains.map((d) => d.toLowerCase())) }),
      ...(patch.contactEmail === undefined ? {} : { contact_email: patch.contactEmail || null }),
      ...(patch.disabled === undefined
        ? {}
        : { disabled_at: patch.disabled ? (before.disabled_at ?? at) : null }),
      updated_at: at,
    };
    await updateEntityRow(trx, row);
    await recordEvent(trx, {
      type: 'entity.updated',
      subjectType: 'entity',
      subjectId: id,
      actor: actorLabel(actor),
      at,
      data: {
        before: entityForLog(presentEntity(before)),
        after: entityForLog(presentEntity(row)),
        contactEmail: { before: before.contact_email, after: row.contact_email },
      },
    });
    return row;
  });
  invalidateTriageContext(deps.db);
  return presentEntity(after);
}

/** The routing rules in evaluation order (analysts and admins). */
export async function listRoutingRules(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
): Promise<Array<RoutingRule & { note: string | null }>> {
  authorize(actor, 'routing_rule.read');
  return (await listRuleRows(deps.db)).map(presentRule);
}

/**
 * Replaces the routing rules as a whole (admins only), in one transaction; the old and new sets
 * are recorded. Targets must be `impersonated` or an existing entity.
 * @throws 400 `validation_failed` naming the rule.
 */
export async function replaceRoutingRules(
  deps: ServiceDeps,
  actor: Actor,
  rules: readonly RuleInput[],
): Promise<Array<RoutingRule & { note: string | null }>> {
  authorize(actor, 'routing_rule.update');
  const at = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const known = new Set((await listEntityRows(trx, true)).map((e) => e.id));
    rules.forEach((r, i) => {
      if (r.target !== 'impersonated' && !known.has(r.target)) {
        throw badRequest(
          'validation_failed',
          `Rule ${i + 1}: no entity ${r.target}.`,
          `rules.${i}.target`,
        );
      }
      if (r.scamType != null && !isScamType(r.scamType)) {
        throw badRequest(
          'validation_failed',
          `Rule ${i + 1}: unknown scam type ${r.scamType}.`,
          `rules.${i}.scamType`,
        );
      }
    });
    const before = (await listRuleRows(trx)).map(presentRule);
    await replaceRuleRows(
      trx,
      rules.map((r) => ({
        priority: r.priority,
        scam_type: r.scamType ?? null,
        impersonated_kind: r.impersonatedKind ?? null,
        platform: r.platform ?? null,
        target: r.target,
        note: r.note ?? null,
        enabled: r.enabled === false ? 0 : 1,
        created_at: at,
        updated_at: at,
      })),
    );
    await recordEvent(trx, {
      type: 'routing_rules.replaced',
      subjectType: 'entity',
      subjectId: 'routing-rules',
      actor: actorLabel(actor),
      at,
      data: {
        before: before.map(ruleForLog),
        after: rules.map(ruleForLog),
        notes: { before: before.map((r) => r.note), after: rules.map((r) => r.note ?? null) },
      },
    });
  });
  invalidateTriageContext(deps.db);
  return listRoutingRules(deps, actor);
}
