import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import { registrableDomain } from '../indicators/index.js';
import { listEvents, recordEvent, type StoredEvent } from '../evidence/index.js';
import { actorLabel, requireRole, type Actor } from '../identity/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.js';
import { randomBase32 } from '../shared/ids.js';
import type { Database } from '../store/index.js';
import {
  activeCount,
  activeDomains,
  activeEntryRows,
  caseIdsByEntry,
  caseWebsiteFacts,
  changesAfter,
  confirmedWebsiteUrls,
  dueForExpiry,
  externalIdExists,
  findEntryRow,
  findOpenEntryRow,
  findVersion,
  insertEntry,
  insertVersion,
  latestVersion,
  linkCases,
  listEntryRows,
  reportedUrlsOfCases,
  lockZone,
  toEntry,
  updateEntry,
  versionsAfter,
  type EntryFilter,
} from './blocklist.repo.js';
import type { BlocklistEntry, EntryState, LegalBasis } from './blocklist.types.js';
import type { FeedEntry } from './feeds.js';
import { normalizeBlockDomain, siteWideRefusal } from './protection.js';
import {
  maxBlockedDomainLength,
  nextSerial,
  rpzPolicy,
  serialCompare,
  type RpzZoneSettings,
} from './rpz.js';

/**
 * The plain domain blocklist: the registrable domain (PSL eTLD+1) of every URL reported as a
 * confirmed-fraud website before its verdict (see confirmedWebsiteUrls), valid hostnames only,
 * sorted. Platforms, link shorteners and protected domains are never
 * listed (see siteWideRefusal), even when a scam website's text links to them: blocking them
 * would block everyone's legitimate use. (The legal-basis-gated RPZ zone is a separate feed.)
 */
export async function blocklistDomains(deps: Pick<ServiceDeps, 'db'>): Promise<string[]> {
  const domains = new Set<string>();
  for (const url of await confirmedWebsiteUrls(deps.db)) {
    const domain = registrableDomain(url);
    if (domain !== null && HOSTNAME.test(domain) && siteWideRefusal(domain) === null)
      domains.add(domain);
  }
  return [...domains].sort();
}

/** A DNS hostname in ASCII (punycode) letters, digits and hyphens, at least two labels. */
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** The RPZ rendering settings of `config` (RPZ_* variables). */
export function zoneSettings(config: Config): RpzZoneSettings {
  const b = config.blocklist;
  return {
    origin: b.rpzOrigin,
    action: b.rpzAction,
    ttl: b.rpzTtl,
    nameserver: b.rpzNameserver,
    hostmaster: b.rpzHostmaster,
  };
}

const EDITORS = ['analyst', 'admin'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Collects the published-set changes of one transaction: domains added and removed. */
interface ZoneChanges {
  add(domain: string): void;
  del(domain: string): void;
}

/**
 * Runs `work` in one transaction that serialises blocklist writers (advisory lock on
 * PostgreSQL) and, when the published set changed, writes the next zone version and its changes
 * (the IXFR journal) in the same transaction. A domain added and removed again nets to nothing.
 */
async function inZoneTransaction<T>(
  deps: ServiceDeps,
  work: (trx: Kysely<Database>, zone: ZoneChanges) => Promise<T>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    await lockZone(trx, deps.dialect);
    const net = new Map<string, 'add' | 'del'>();
    const toggle = (domain: string, op: 'add' | 'del'): void => {
      const before = net.get(domain);
      if (before !== undefined && before !== op) net.delete(domain);
      else net.set(domain, op);
    };
    const result = await work(trx, {
      add: (domain) => toggle(domain, 'add'),
      del: (domain) => toggle(domain, 'del'),
    });
    if (net.size > 0) await writeVersion(trx, deps, net);
    return result;
  });
}

async function writeVersion(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  net: ReadonlyMap<string, 'add' | 'del'>,
): Promise<number> {
  const latest = await latestVersion(trx);
  const serial = nextSerial(latest?.serial, deps.clock.now());
  const changes = [...net]
    .map(([domain, op]) => ({ domain, op }))
    .sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  await insertVersion(
    trx,
    { serial, at: isoTime(deps.clock.now()), policy: rpzPolicy(zoneSettings(deps.config)) },
    changes,
  );
  return serial;
}

/**
 * Validates and normalises a domain for a new entry: lower-case ASCII, accepted by the
 * protection guard (configured protected list), short enough for the RPZ origin.
 * @throws AppError 400 `domain_refused` naming the guard's rule (details.rule), `invalid_domain`
 *   or `domain_too_long`.
 */
export function checkBlockDomain(config: Config, input: string, field = 'domain'): string {
  const domain = normalizeBlockDomain(input);
  const refusal = siteWideRefusal(input, config.blocklist.protectedDomains);
  if (refusal !== null) {
    throw new AppError(
      400,
      'domain_refused',
      `Refused by the protection guard: ${refusal.message}.`,
      {
        details: { field, rule: refusal.rule, matched: refusal.matched },
      },
    );
  }
  if (domain === null)
    throw badRequest('invalid_domain', `"${input}" is not a domain name.`, field);
  if (domain.length > maxBlockedDomainLength(config.blocklist.rpzOrigin)) {
    throw badRequest(
      'domain_too_long',
      `${domain} is too long to block under the RPZ origin ${config.blocklist.rpzOrigin}.`,
      field,
    );
  }
  return domain;
}

function checkLegalBasis(basis: LegalBasis): LegalBasis {
  const reference = basis.reference.trim();
  if (reference === '' || reference.length > 200) {
    throw badRequest(
      'invalid_legal_basis',
      'The reference number must be 1–200 characters.',
      'legalBasis.reference',
    );
  }
  const m = DATE.exec(basis.date);
  const valid =
    m !== null && new Date(`${basis.date}T00:00:00Z`).toISOString().slice(0, 10) === basis.date;
  if (!valid) {
    throw badRequest(
      'invalid_legal_basis',
      'The date must be a calendar date YYYY-MM-DD.',
      'legalBasis.date',
    );
  }
  return { kind: basis.kind, reference, date: basis.date };
}

function checkTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw badRequest('invalid_time', `${field} must be an ISO 8601 time with a zone.`, field);
  }
  return isoTime(ms);
}

/** What a new entry may carry; only `domain` is required. */
export interface NewEntryInput {
  domain: string;
  caseIds?: readonly string[] | undefined;
  siteType?: string | undefined;
  requestingUnit?: string | undefined;
  legalBasis?: LegalBasis | undefined;
  note?: string | undefined;
  /** Where the entry comes from (default `api`). */
  source?: string | undefined;
  externalId?: string | undefined;
}

/** What activation needs: the legal basis and requesting unit (unless the entry has them). */
export interface ActivationInput {
  legalBasis?: LegalBasis | undefined;
  requestingUnit?: string | undefined;
  siteType?: string | undefined;
  /** When the block takes effect (default now; never in the future). */
  effectiveAt?: string | undefined;
  /** When it lapses (default never). */
  expiresAt?: string | undefined;
  note?: string | undefined;
}

function newEntryId(): string {
  return `B${randomBase32(12)}`;
}

async function loadEntry(db: Kysely<Database>, id: string): Promise<BlocklistEntry> {
  const row = await findEntryRow(db, id);
  if (row === undefined) throw notFound('blocklist_entry_not_found', `No blocklist entry ${id}.`);
  const cases = await caseIdsByEntry(db, [id]);
  return toEntry(row, cases.get(id) ?? []);
}

/**
 * Creates a `proposed` entry inside `trx` (no role check: callers check). Guard, length and
 * one-open-entry-per-domain are enforced.
 * @throws AppError 400 `domain_refused` / `invalid_domain` / `domain_too_long`, 409
 *   `blocklist_entry_exists` when the domain already has an open entry (details.entryId).
 */
async function proposeIn(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  actor: Actor,
  input: NewEntryInput,
  at: string,
): Promise<string> {
  const domain = checkBlockDomain(deps.config, input.domain);
  const open = await findOpenEntryRow(trx, domain);
  if (open !== undefined) {
    throw new AppError(
      409,
      'blocklist_entry_exists',
      `${domain} already has the ${open.state} entry ${open.id}.`,
      {
        details: { field: 'domain', entryId: open.id },
      },
    );
  }
  const id = newEntryId();
  const basis = input.legalBasis === undefined ? undefined : checkLegalBasis(input.legalBasis);
  await insertEntry(trx, {
    id,
    domain,
    state: 'proposed',
    legal_basis: basis?.kind ?? null,
    legal_reference: basis?.reference ?? null,
    legal_date: basis?.date ?? null,
    requesting_unit: input.requestingUnit?.trim() || null,
    site_type: input.siteType?.trim() || null,
    effective_at: null,
    expires_at: null,
    source: input.source ?? 'api',
    external_id: input.externalId ?? null,
    note: input.note?.trim() || null,
    created_at: at,
    updated_at: at,
  });
  await linkCases(trx, id, input.caseIds ?? [], at);
  await recordEvent(trx, {
    type: 'blocklist_entry.proposed',
    subjectType: 'blocklist_entry',
    subjectId: id,
    actor: actorLabel(actor),
    at,
    data: {
      domain,
      source: input.source ?? 'api',
      caseIds: [...(input.caseIds ?? [])],
      legalBasis: basis ?? null,
      note: input.note?.trim() || null,
    },
  });
  return id;
}

/** An activation after validation. */
interface CheckedActivation {
  basis: LegalBasis;
  unit: string;
  siteType: string | null;
  effectiveAt: string;
  expiresAt: string | null;
}

/**
 * Validates an activation of an entry that currently has `current` legal basis, unit and site
 * type, at `at`. Pure: the import checks each row with it before writing anything.
 */
function checkActivation(
  current: { basis: LegalBasis | null; unit: string | null; siteType: string | null },
  input: ActivationInput,
  at: string,
): CheckedActivation {
  const basis = input.legalBasis !== undefined ? checkLegalBasis(input.legalBasis) : current.basis;
  if (basis === null) {
    throw badRequest(
      'legal_basis_required',
      'Activation needs a legal basis (kind, reference, date).',
      'legalBasis',
    );
  }
  const unit = input.requestingUnit?.trim() || current.unit;
  if (unit === null || unit === '') {
    throw badRequest(
      'requesting_unit_required',
      'Activation needs the requesting unit.',
      'requestingUnit',
    );
  }
  const effectiveAt = checkTime(input.effectiveAt, 'effectiveAt') ?? at;
  if (effectiveAt > at) {
    throw badRequest(
      'effective_in_future',
      'effectiveAt cannot be in the future: activate the entry when it takes effect.',
      'effectiveAt',
    );
  }
  const expiresAt = checkTime(input.expiresAt, 'expiresAt') ?? null;
  if (expiresAt !== null && expiresAt <= at) {
    throw badRequest('expiry_in_past', 'expiresAt must be in the future.', 'expiresAt');
  }
  return {
    basis,
    unit,
    siteType: input.siteType?.trim() || current.siteType,
    effectiveAt,
    expiresAt,
  };
}

/**
 * Activates the proposed entry `id` inside `trx`: sets the legal basis, requesting unit and dates
 * and adds the domain to the published set.
 */
async function activateIn(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  zone: ZoneChanges,
  actor: Actor,
  id: string,
  input: ActivationInput,
  at: string,
): Promise<void> {
  const row = await findEntryRow(trx, id);
  if (row === undefined) throw notFound('blocklist_entry_not_found', `No blocklist entry ${id}.`);
  if (row.state !== 'proposed') {
    throw conflict(
      'invalid_transition',
      `Entry ${id} is ${row.state}; only a proposed entry can be activated.`,
    );
  }
  const checked = checkActivation(
    { basis: toEntry(row, []).legalBasis, unit: row.requesting_unit, siteType: row.site_type },
    input,
    at,
  );
  const { basis, unit, siteType, effectiveAt, expiresAt } = checked;
  await updateEntry(trx, id, {
    state: 'active',
    legal_basis: basis.kind,
    legal_reference: basis.reference,
    legal_date: basis.date,
    requesting_unit: unit,
    site_type: siteType,
    effective_at: effectiveAt,
    expires_at: expiresAt,
    updated_at: at,
  });
  zone.add(row.domain);
  await recordEvent(trx, {
    type: 'blocklist_entry.activated',
    subjectType: 'blocklist_entry',
    subjectId: id,
    actor: actorLabel(actor),
    at,
    data: {
      domain: row.domain,
      from: row.state,
      legalBasis: basis,
      requestingUnit: unit,
      siteType,
      effectiveAt,
      expiresAt,
      note: input.note?.trim() || null,
    },
  });
}

/**
 * Proposes blocking `input.domain` (state `proposed`; nothing is published yet).
 * @throws AppError 401/403 unless analyst or admin; 400 `domain_refused` (guard, naming the rule
 *   in details.rule), `invalid_domain`, `domain_too_long`, `invalid_legal_basis`; 404
 *   `case_not_found` for an unknown case ID; 409 `blocklist_entry_exists`.
 */
export async function proposeEntry(
  deps: ServiceDeps,
  actor: Actor,
  input: NewEntryInput,
): Promise<BlocklistEntry> {
  requireRole(actor, EDITORS, 'propose a blocklist entry');
  const at = isoTime(deps.clock.now());
  const id = await inZoneTransaction(deps, async (trx) => {
    for (const caseId of input.caseIds ?? []) {
      if ((await caseWebsiteFacts(trx, caseId)) === undefined) {
        throw notFound('case_not_found', `No case with ID ${caseId}.`);
      }
    }
    return proposeIn(trx, deps, actor, input, at);
  });
  return loadEntry(deps.db, id);
}

/**
 * Proposes blocking the website of a confirmed-fraud case, in one action: the case's registrable
 * domain (or `domain`, which must be one of the case's hosts or registrable domains), linked to
 * the case. When the domain already has an open entry the case is linked to it instead.
 * @throws AppError 401/403; 404 `case_not_found`; 409 `case_not_confirmed` unless the verdict is
 *   fraud; 400 `no_website_domain` when the case names no blockable domain, `domain_not_in_case`,
 *   or the guard's `domain_refused`.
 */
export async function proposeFromCase(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
  options: {
    domain?: string | undefined;
    siteType?: string | undefined;
    note?: string | undefined;
  } = {},
): Promise<{ entry: BlocklistEntry; created: boolean }> {
  requireRole(actor, EDITORS, 'propose a blocklist entry');
  const at = isoTime(deps.clock.now());
  const { id, created } = await inZoneTransaction(deps, async (trx) => {
    const facts = await caseWebsiteFacts(trx, caseId);
    if (facts === undefined) throw notFound('case_not_found', `No case with ID ${caseId}.`);
    if (facts.verdict !== 'fraud') {
      throw conflict(
        'case_not_confirmed',
        `Case ${caseId} is ${facts.verdict}; only confirmed fraud can be blocked.`,
      );
    }
    const hosts = new Set(
      facts.urls.flatMap((u) => {
        const host = normalizeBlockDomain(u);
        return host === null ? [] : [host];
      }),
    );
    const candidates = facts.domains.flatMap((d) => {
      const n = normalizeBlockDomain(d);
      return n === null ? [] : [n];
    });
    let domain: string | undefined;
    if (options.domain !== undefined) {
      const wanted = normalizeBlockDomain(options.domain);
      if (wanted === null || !(hosts.has(wanted) || candidates.includes(wanted))) {
        throw badRequest(
          'domain_not_in_case',
          `${options.domain} is not a host or domain of case ${caseId}.`,
          'domain',
        );
      }
      domain = wanted;
    } else {
      domain = candidates.find(
        (d) => siteWideRefusal(d, deps.config.blocklist.protectedDomains) === null,
      );
      if (domain === undefined) {
        const first = candidates[0];
        if (first !== undefined) checkBlockDomain(deps.config, first);
        throw badRequest(
          'no_website_domain',
          `Case ${caseId} names no website domain to block.`,
          'caseId',
        );
      }
    }
    const open = await findOpenEntryRow(trx, checkBlockDomain(deps.config, domain));
    if (open !== undefined) {
      await linkCases(trx, open.id, [caseId], at);
      await recordEvent(trx, {
        type: 'blocklist_entry.case_linked',
        subjectType: 'blocklist_entry',
        subjectId: open.id,
        actor: actorLabel(actor),
        at,
        data: { domain: open.domain, caseId },
      });
      return { id: open.id, created: false };
    }
    const newId = await proposeIn(
      trx,
      deps,
      actor,
      { domain, caseIds: [caseId], siteType: options.siteType, note: options.note, source: 'case' },
      at,
    );
    return { id: newId, created: true };
  });
  return { entry: await loadEntry(deps.db, id), created };
}

/**
 * Activates a proposed entry: it needs a legal basis (court ruling, administrative disposition or
 * emergency order with reference and date) and the requesting unit, given here or earlier; the
 * domain enters the RPZ zone and the feeds with the next serial.
 * @throws AppError 401/403; 404 `blocklist_entry_not_found`; 409 `invalid_transition`; 400
 *   `legal_basis_required`, `requesting_unit_required`, `invalid_legal_basis`, `invalid_time`,
 *   `effective_in_future`, `expiry_in_past`.
 */
export async function activateEntry(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: ActivationInput,
): Promise<BlocklistEntry> {
  requireRole(actor, EDITORS, 'activate a blocklist entry');
  const at = isoTime(deps.clock.now());
  await inZoneTransaction(deps, (trx, zone) => activateIn(trx, deps, zone, actor, id, input, at));
  return loadEntry(deps.db, id);
}

/** The transitions after activation: event type, allowed source states, target state. */
const TRANSITIONS = {
  appeal: { event: 'appealed', from: ['active'], to: 'appealed' },
  reinstate: { event: 'reinstated', from: ['appealed'], to: 'active' },
  lift: { event: 'lifted', from: ['proposed', 'active', 'appealed'], to: 'lifted' },
} as const satisfies Record<string, { event: string; from: readonly EntryState[]; to: EntryState }>;

/** A state change after activation (see TRANSITIONS). */
export type EntryTransition = keyof typeof TRANSITIONS;

/**
 * Applies `transition` to entry `id`: `appeal` (active → appealed: the site owner contests the
 * block; the domain leaves the zone while the appeal is decided), `reinstate` (appealed →
 * active: appeal rejected), `lift` (proposed/active/appealed → lifted: withdrawn, appeal upheld or
 * ruling revoked). Every change is an audit event; nothing is deleted.
 * @param note why (required for appeal and lift, ≤ 2,000 characters).
 * @throws AppError 401/403; 404 `blocklist_entry_not_found`; 409 `invalid_transition`; 400
 *   `note_required`.
 */
export async function transitionEntry(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  transition: EntryTransition,
  note: string | undefined,
): Promise<BlocklistEntry> {
  requireRole(actor, EDITORS, `${transition} a blocklist entry`);
  const rule = TRANSITIONS[transition];
  const text = note?.trim() || null;
  if (text === null && transition !== 'reinstate') {
    throw badRequest('note_required', `Say why (note) to ${transition} an entry.`, 'note');
  }
  const at = isoTime(deps.clock.now());
  await inZoneTransaction(deps, async (trx, zone) => {
    const row = await findEntryRow(trx, id);
    if (row === undefined) throw notFound('blocklist_entry_not_found', `No blocklist entry ${id}.`);
    if (!(rule.from as readonly string[]).includes(row.state)) {
      throw conflict('invalid_transition', `Entry ${id} is ${row.state}; cannot ${transition} it.`);
    }
    await updateEntry(trx, id, { state: rule.to, updated_at: at });
    if (row.state === 'active') zone.del(row.domain);
    if (rule.to === 'active') zone.add(row.domain);
    await recordEvent(trx, {
      type: `blocklist_entry.${rule.event}`,
      subjectType: 'blocklist_entry',
      subjectId: id,
      actor: actorLabel(actor),
      at,
      data: { domain: row.domain, from: row.state, to: rule.to, note: text },
    });
  });
  return loadEntry(deps.db, id);
}

/**
 * Moves every active entry whose `expiresAt` has passed to `expired` (actor `system:expiry`),
 * removing its domain from the zone. Run before rendering and by the DNS server's poll.
 * @returns the number of entries expired.
 */
export async function expireDueEntries(deps: ServiceDeps): Promise<number> {
  const at = isoTime(deps.clock.now());
  return inZoneTransaction(deps, async (trx, zone) => {
    const due = await dueForExpiry(trx, at);
    for (const row of due) {
      await updateEntry(trx, row.id, { state: 'expired', updated_at: at });
      zone.del(row.domain);
      await recordEvent(trx, {
        type: 'blocklist_entry.expired',
        subjectType: 'blocklist_entry',
        subjectId: row.id,
        actor: 'system:expiry',
        at,
        data: { domain: row.domain, from: 'active', to: 'expired', expiresAt: row.expires_at },
      });
    }
    return due.length;
  });
}

/**
 * One entry with its audit trail, oldest event first.
 * @throws AppError 401/403 unless analyst or admin; 404 `blocklist_entry_not_found`.
 */
export async function getEntry(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<{ entry: BlocklistEntry; events: StoredEvent[] }> {
  requireRole(actor, EDITORS, 'read blocklist entries');
  const entry = await loadEntry(deps.db, id);
  return { entry, events: await listEvents(deps.db, 'blocklist_entry', id) };
}

/**
 * A page of entries ordered by ID (filter by state or domain; `after` = last ID of the previous
 * page; limit 1–1,000).
 * @throws AppError 401/403 unless analyst or admin.
 */
export async function listEntries(
  deps: ServiceDeps,
  actor: Actor,
  filter: EntryFilter,
): Promise<BlocklistEntry[]> {
  requireRole(actor, EDITORS, 'read blocklist entries');
  const domain =
    filter.domain === undefined
      ? undefined
      : (normalizeBlockDomain(filter.domain) ?? filter.domain);
  const rows = await listEntryRows(deps.db, { ...filter, domain });
  const cases = await caseIdsByEntry(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toEntry(r, cases.get(r.id) ?? []));
}

/** Every active entry (the published set), ordered by domain, with its case IDs. */
export async function publishedEntries(deps: ServiceDeps): Promise<BlocklistEntry[]> {
  const rows = await activeEntryRows(deps.db);
  const cases = await caseIdsByEntry(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toEntry(r, cases.get(r.id) ?? []));
}

/** The zone at one serial: its settings, serial and published domains (sorted). */
export interface ZoneSnapshot {
  readonly settings: RpzZoneSettings;
  readonly serial: number;
  readonly domains: readonly string[];
}

/**
 * Makes the zone's latest version carry the configured policy: writes a version with no changes
 * when there is none yet or when RPZ_ACTION/RPZ_LANDING_HOST/RPZ_TTL changed, so secondaries see a
 * new serial and take the re-rendered zone by AXFR.
 * @returns the current serial.
 */
export async function ensureZonePolicy(deps: ServiceDeps): Promise<number> {
  const policy = rpzPolicy(zoneSettings(deps.config));
  const latest = await latestVersion(deps.db);
  if (latest !== undefined && latest.policy === policy) return latest.serial;
  return inZoneTransaction(deps, async (trx) => {
    const again = await latestVersion(trx);
    if (again !== undefined && again.policy === policy) return again.serial;
    return writeVersion(trx, deps, new Map());
  });
}

/** Runs `read` in a snapshot: repeatable read on PostgreSQL; one read transaction on SQLite. */
async function inSnapshot<T>(
  deps: ServiceDeps,
  read: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const builder = deps.db.transaction();
  return (
    deps.dialect === 'postgres' ? builder.setIsolationLevel('repeatable read') : builder
  ).execute(read);
}

/**
 * The zone as published now: expires due entries, makes sure the serial reflects the
 * configured policy, then reads the serial and the active domains in one snapshot, so the
 * domains are exactly those of that serial.
 */
export async function currentZone(deps: ServiceDeps): Promise<ZoneSnapshot> {
  await expireDueEntries(deps);
  await ensureZonePolicy(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const domains = await activeDomains(trx);
    return { settings: zoneSettings(deps.config), serial: latest?.serial ?? 0, domains };
  });
}

/**
 * The zone as stored, without recording a policy change: expires due entries, then reads the
 * latest serial and the active domains in one snapshot. For printing the zone with other
 * settings (`scamnet blocklist rpz --origin …`) without touching what the DNS server serves.
 */
export async function storedZone(
  deps: ServiceDeps,
): Promise<{ serial: number; domains: string[] }> {
  await expireDueEntries(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    return { serial: latest?.serial ?? 0, domains: await activeDomains(trx) };
  });
}

/** The current serial without writing anything (0 before the first version). */
export async function currentSerial(deps: Pick<ServiceDeps, 'db'>): Promise<number> {
  return (await latestVersion(deps.db))?.serial ?? 0;
}

/**
 * What an IXFR from `fromSerial` needs (RFC 1995): `up_to_date` when the client's serial is the
 * current one or newer (RFC 1982 serial arithmetic: RFC 1995 §2 answers both with one SOA);
 * `incremental` with the condensed difference (RFC 1995 §5: domains deleted and added between
 * the two serials, sorted) when the journal covers the whole span under one policy; `full`
 * (answer with the whole zone, as AXFR: RFC 1995 §4) when the client's serial is older and
 * unknown, exactly 2^31 away (RFC 1982 leaves that order undefined), from before a policy change,
 * or the difference is much larger than the zone (over 2n + 16 names).
 */
export type ZoneDiff =
  | { readonly kind: 'up_to_date'; readonly zone: ZoneHead }
  | {
      readonly kind: 'incremental';
      readonly fromSerial: number;
      readonly deleted: readonly string[];
      readonly added: readonly string[];
      readonly zone: ZoneHead;
    }
  | { readonly kind: 'full'; readonly snapshot: ZoneSnapshot };

/** The zone's settings and serial, without its domains. */
export type ZoneHead = Pick<ZoneSnapshot, 'settings' | 'serial'>;

/**
 * The difference from `fromSerial` to the current zone (see ZoneDiff). Reads only the journal
 * unless the answer is the full zone, so an IXFR costs the size of the change, not of the zone.
 */
export async function zoneDiffSince(deps: ServiceDeps, fromSerial: number): Promise<ZoneDiff> {
  await expireDueEntries(deps);
  await ensureZonePolicy(deps);
  return inSnapshot(deps, async (trx): Promise<ZoneDiff> => {
    const latest = await latestVersion(trx);
    const serial = latest?.serial ?? 0;
    const settings = zoneSettings(deps.config);
    const full = async (): Promise<ZoneDiff> => ({
      kind: 'full',
      snapshot: { settings, serial, domains: await activeDomains(trx) },
    });
    // RFC 1995 §2: the client's serial is the same as ours or newer (RFC 1982 arithmetic, so
    // also across a wrap past 2^32 − 1): one SOA. An older one we know: the difference.
    const order = serialCompare(fromSerial, serial);
    if (order === 0 || order === 1) return { kind: 'up_to_date', zone: { settings, serial } };
    const base = order === -1 ? await findVersion(trx, fromSerial) : undefined;
    if (base === undefined) return full();
    const versions = await versionsAfter(trx, fromSerial, serial);
    if (versions.some((v) => v.policy !== base.policy) || base.policy !== rpzPolicy(settings)) {
      return full();
    }
    const first = new Map<string, string>();
    const last = new Map<string, string>();
    for (const change of await changesAfter(trx, fromSerial, serial)) {
      if (!first.has(change.domain)) first.set(change.domain, change.op);
      last.set(change.domain, change.op);
    }
    const deleted: string[] = [];
    const added: string[] = [];
    for (const [domain, op] of first) {
      const wasPresent = op === 'del';
      const isPresent = last.get(domain) === 'add';
      if (wasPresent && !isPresent) deleted.push(domain);
      if (!wasPresent && isPresent) added.push(domain);
    }
    if (deleted.length + added.length > 2 * (await activeCount(trx)) + 16) return full();
    deleted.sort();
    added.sort();
    return { kind: 'incremental', fromSerial, deleted, added, zone: { settings, serial } };
  });
}

/** One row of a blocklist import: an entry to create (and maybe activate), or an error. */
export type BlocklistImportRow =
  | {
      readonly line: number;
      readonly entry: NewEntryInput;
      /** Activate on import: the row (or the command line) carries a legal basis. */
      readonly activation?: ActivationInput | undefined;
    }
  | { readonly line: number; readonly error: string };

/** What an import did. */
export interface BlocklistImportSummary {
  proposed: number;
  activated: number;
  /** Rows whose domain already has an open entry, or whose external ID was imported before. */
  duplicates: number;
  rejected: { line: number; message: string }[];
}

/** Rows written per transaction (and per zone version) by importEntries. */
export const BLOCKLIST_IMPORT_BATCH = 500;

/**
 * Imports rows in batches of BLOCKLIST_IMPORT_BATCH, each batch one transaction and at most one
 * new zone serial. Every row passes the protection guard; a refused or invalid row is reported
 * with its line and the rule, and the others are kept. Rows whose domain already has an open
 * entry, or whose (source, externalId) was imported before, are counted as duplicates, so
 * re-importing a file adds nothing.
 * @throws AppError 401/403 unless analyst or admin.
 */
export async function importEntries(
  deps: ServiceDeps,
  actor: Actor,
  rows: AsyncIterable<BlocklistImportRow>,
  onProgress?: (rowsRead: number) => void,
): Promise<BlocklistImportSummary> {
  requireRole(actor, EDITORS, 'import blocklist entries');
  const summary: BlocklistImportSummary = {
    proposed: 0,
    activated: 0,
    duplicates: 0,
    rejected: [],
  };
  let batch: BlocklistImportRow[] = [];
  let read = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const at = isoTime(deps.clock.now());
    await inZoneTransaction(deps, async (trx, zone) => {
      for (const row of current) {
        if ('error' in row) {
          summary.rejected.push({ line: row.line, message: row.error });
          continue;
        }
        const { entry, activation } = row;
        if (
          entry.externalId !== undefined &&
          (await externalIdExists(trx, entry.source ?? 'api', entry.externalId))
        ) {
          summary.duplicates += 1;
          continue;
        }
        let domain: string;
        try {
          domain = checkBlockDomain(deps.config, entry.domain);
          const basis = entry.legalBasis === undefined ? null : checkLegalBasis(entry.legalBasis);
          if (activation !== undefined) {
            checkActivation(
              { basis, unit: entry.requestingUnit ?? null, siteType: entry.siteType ?? null },
              activation,
              at,
            );
          }
        } catch (error) {
          summary.rejected.push({
            line: row.line,
            message: error instanceof Error ? error.message : String(error),
          });
          continue;
        }
        if ((await findOpenEntryRow(trx, domain)) !== undefined) {
          summary.duplicates += 1;
          continue;
        }
        const id = await proposeIn(trx, deps, actor, { ...entry, domain }, at);
        if (activation === undefined) {
          summary.proposed += 1;
          continue;
        }
        await activateIn(trx, deps, zone, actor, id, activation, at);
        summary.activated += 1;
      }
    });
  };
  for await (const row of rows) {
    batch.push(row);
    read += 1;
    if (batch.length >= BLOCKLIST_IMPORT_BATCH) {
      await flush();
      onProgress?.(read);
    }
  }
  await flush();
  onProgress?.(read);
  return summary;
}

/**
 * What the feeds publish, read in one snapshot after expiring due entries: the zone serial and
 * every active entry with its case IDs and the canonical URLs reported in those cases whose host
 * is the entry's domain or under it (for URL indicators), ordered by domain.
 */
export async function feedSnapshot(
  deps: ServiceDeps,
): Promise<{ serial: number; entries: FeedEntry[] }> {
  await expireDueEntries(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const rows = await activeEntryRows(trx);
    const cases = await caseIdsByEntry(
      trx,
      rows.map((r) => r.id),
    );
    const urls = await reportedUrlsOfCases(trx, [...new Set([...cases.values()].flat())]);
    const entries = rows.map((row): FeedEntry => {
      const caseIds = cases.get(row.id) ?? [];
      const under = (url: string): boolean => {
        const host = normalizeBlockDomain(url);
        return host !== null && (host === row.domain || host.endsWith(`.${row.domain}`));
      };
      const entryUrls = [...new Set(caseIds.flatMap((id) => urls.get(id) ?? []))].filter(under);
      return { ...toEntry(row, caseIds), urls: entryUrls.sort() };
    });
    return { serial: latest?.serial ?? 0, entries };
  });
}
