import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import { refreshCaseStatus } from '../cases/index.js';
import { rfc3986Uri } from '../indicators/index.js';

import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.js';
import { containsPattern, pageRequest, type Page } from '../shared/paging.js';
import { randomBase32 } from '../shared/ids.js';
import type { Database } from '../store/index.js';
import {
  activeAmong,
  activeCount,
  activeDomains,
  activeIdsByDomain,
  activeUnder,
  activeEntryRows,
  applyIndicatorPlan,
  caseIdsByEntry,
  caseWebsiteFacts,
  changesAfter,
  countEntryRows,
  dueForExpiry,
  endedEntryRows,
  externalIdExists,
  findEntryRow,
  findOpenEntryRow,
  findVersion,
  insertEntry,
  insertVersion,
  indicatorTimes,
  latestVersion,
  linkCases,
  listEntryRows,
  openIndicators,
  publishedIndicators,
  reportedUrlsOfCases,
  lockZone,
  toEntry,
  updateEntry,
  versionsAfter,
} from './blocklist.repo.js';
import {
  ENTRY_MAX_PAGE_SIZE,
  ENTRY_PAGE_SIZE,
  type BlocklistEntry,
  type EntryState,
  type LegalBasis,
} from './blocklist.types.js';
import {
  planIndicators,
  wantedIndicators,
  type EndedEntry,
  type FeedEntry,
  type FeedIndicator,
  type IndicatorFeedContext,
  type IndicatorPlan,
} from './feeds.js';
import {
  blockRefusal,
  normalizeBlockDomain,
  protectionRulesVersion,
  siteWideRefusal,
} from '../indicators/index.js';
import {
  ancestorNames,
  isPublishedName,
  maxBlockedDomainLength,
  nextSerial,
  rpzNameRefusal,
  rpzNameSet,
  rpzPolicy,
  serialCompare,
  type RpzNameRules,
  type RpzNameSet,
  type RpzOmission,
  type RpzZoneSettings,
} from './rpz.js';

import { listEvents, recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import type { StoredEvent } from '../log/index.js';
import type { Actor } from '../policy/index.js';
/**
 * The plain domain blocklist (`domains.txt`): the domain of every published entry — active, with
 * its legal basis, and accepted by the protection guard now — one per line, sorted; the same set
 * and the same rule as the hosts, adblock, CSV, JSON, STIX and MISP feeds (feedSnapshot). A fraud
 * verdict alone never lists a domain: a confirmed scam website is proposed for blocking (from its
 * case) and listed once an analyst activates the entry with a legal basis. (Before, this list
 * held the registrable domain of every confirmed-fraud website, which on the demo data was 3,440
 * domains blocked on no legal basis at all.)
 */
export async function blocklistDomains(deps: ServiceDeps): Promise<string[]> {
  const { entries } = await feedSnapshot(deps);
  return entries.map((e) => e.domain).sort();
}

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

/** The rules the zone's names are checked against: the configured or the given origin. */
function nameRules(config: Config, origin = config.blocklist.rpzOrigin): RpzNameRules {
  return { origin, protectedDomains: config.blocklist.protectedDomains };
}

/**
 * A short fingerprint of everything besides the entries that decides which names the zone
 * publishes: the guard's rules and Public Suffix List version, the protected list and the
 * origin (its length bounds the names).
 */
function nameRulesFingerprint(rules: RpzNameRules): string {
  const input = JSON.stringify([
    protectionRulesVersion(),
    rules.origin,
    [...rules.protectedDomains].sort(),
  ]);
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}

/**
 * The policy recorded with every zone version: the rendering policy (rpzPolicy) and the name
 * rules' fingerprint. A journal is only valid under one policy, so a change of either (a new
 * action, protected list, origin, guard or Public Suffix List) makes secondaries take the whole
 * zone again (ensureZonePolicy, zoneDiffSince).
 */
function zonePolicy(config: Config): string {
  return `${rpzPolicy(zoneSettings(config))};names=${nameRulesFingerprint(nameRules(config))}`;
}

/** Memoised rpzNameRefusal verdicts under one set of rules. */
interface NameMemo {
  readonly fingerprint: string;
  readonly refusals: Map<string, RpzOmission | null>;
}

/**
 * Verdicts by rules fingerprint (at most NAME_MEMO_RULES sets). The guard costs tens of
 * microseconds a name and the zone is re-read on every DNS poll and transfer, so each name is
 * checked once per set of rules; rpzNameRefusal is a pure function of the name and the rules, so
 * the memo never changes an answer.
 */
const NAME_MEMOS = new Map<string, NameMemo>();
const NAME_MEMO_RULES = 4;

function nameMemo(rules: RpzNameRules): NameMemo {
  const key = nameRulesFingerprint(rules);
  let memo = NAME_MEMOS.get(key);
  if (memo === undefined) {
    memo = { fingerprint: key, refusals: new Map() };
    NAME_MEMOS.set(key, memo);
    for (const old of NAME_MEMOS.keys()) {
      if (NAME_MEMOS.size <= NAME_MEMO_RULES) break;
      NAME_MEMOS.delete(old);
    }
  }
  return memo;
}

/** rpzNameRefusal under `rules`, memoised in `memo`. */
function refusalIn(memo: NameMemo, rules: RpzNameRules, domain: string): RpzOmission | null {
  let refusal = memo.refusals.get(domain);
  if (refusal === undefined) {
    refusal = rpzNameRefusal(domain, rules);
    memo.refusals.set(domain, refusal);
  }
  return refusal;
}

/** Omissions named in one warning; the count says how many there are in all. */
const OMISSIONS_LOGGED = 20;

/** The omissions each logger was last told about, by rules fingerprint. */
const WARNED = new WeakMap<ServiceDeps['log'], Map<string, string>>();

/**
 * The zone's published names and omissions for the active `domains` under `rules` (rpzNameSet).
 * Logs one warning when the omissions differ from those last logged to `deps.log` under these
 * rules (not on every render: the DNS server re-reads the zone on every poll).
 */
function zoneNames(
  deps: Pick<ServiceDeps, 'log'>,
  domains: readonly string[],
  rules: RpzNameRules,
): RpzNameSet {
  const memo = nameMemo(rules);
  const names = rpzNameSet(domains, (domain) => refusalIn(memo, rules, domain));
  if (memo.refusals.size > 2 * domains.length + 1024) {
    // Forget the names that are no longer active, so the memo stays the size of the zone.
    const kept = new Set(domains);
    for (const domain of memo.refusals.keys()) {
      if (!kept.has(domain)) memo.refusals.delete(domain);
    }
  }
  const signature = names.omitted.map((o) => `${o.domain} ${o.rule}`).join('\n');
  const warned = WARNED.get(deps.log) ?? new Map<string, string>();
  WARNED.set(deps.log, warned);
  if (signature !== (warned.get(memo.fingerprint) ?? '')) {
    warned.set(memo.fingerprint, signature);
    if (names.omitted.length > 0) {
      deps.log.warn(
        {
          origin: rules.origin,
          count: names.omitted.length,
          omitted: names.omitted
            .slice(0, OMISSIONS_LOGGED)
            .map((o) => ({ domain: o.domain, rule: o.rule })),
        },
        'RPZ zone leaves out active blocklist entries its rules refuse (GET /api/v1/blocklist/rpz/omissions)',
      );
    }
  }
  return names;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Collects the changes of the active set in one transaction: domains that became active and
 * that stopped being active (publishedChanges turns them into the published set's changes).
 */
interface ZoneChanges {
  add(domain: string): void;
  del(domain: string): void;
}

/**
 * Runs `work` in one transaction that serialises blocklist writers (advisory lock on
 * PostgreSQL) and, when the active set changed, writes the next zone version with the changes
 * of the published set (the IXFR journal; see publishedChanges) in the same transaction. A domain
 * added and removed again nets to nothing.
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
    if (net.size > 0) await writeVersion(trx, deps, await publishedChanges(trx, deps, net));
    return result;
  });
}

/**
 * The changes of the published set (isPublishedName) made by `net`, the changes of the active
 * set of one transaction, read after them: for each domain whose status may have changed — a
 * changed one, or an active one under it, which a changed ancestor covers or uncovers — whether
 * it was published before and is now. E.g. activating `example.com` when `a.b.example.com` is
 * active removes `a.b.example.com` from the published set; lifting it adds it back. Costs the
 * size of the change: one index range per changed domain and one lookup of the ancestors.
 */
async function publishedChanges(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  net: ReadonlyMap<string, 'add' | 'del'>,
): Promise<Map<string, 'add' | 'del'>> {
  const rules = nameRules(deps.config);
  const memo = nameMemo(rules);
  const isAllowed = (domain: string): boolean => refusalIn(memo, rules, domain) === null;
  const affected = new Set([...net.keys(), ...(await activeUnder(trx, [...net.keys()]))]);
  const lookups = [...affected].flatMap((domain) => [domain, ...ancestorNames(domain)]);
  const activeNow = new Set(await activeAmong(trx, lookups));
  const isActiveNow = (domain: string): boolean => activeNow.has(domain);
  const wasActive = (domain: string): boolean => {
    const op = net.get(domain);
    return op === undefined ? activeNow.has(domain) : op === 'del';
  };
  const changes = new Map<string, 'add' | 'del'>();
  for (const domain of affected) {
    const before = isPublishedName(domain, wasActive, isAllowed);
    const after = isPublishedName(domain, isActiveNow, isAllowed);
    if (before !== after) changes.set(domain, after ? 'add' : 'del');
  }
  return changes;
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
    { serial, at: isoTime(deps.clock.now()), policy: zonePolicy(deps.config) },
    changes,
  );
  return serial;
}

/**
 * Validates and normalises a domain for a new entry (and again when an entry becomes active):
 * lower-case ASCII, accepted by the protection guard (blockRefusal with the configured protected
 * list: no `rpz-*` label, a TLD of the Public Suffix List, …), short enough for the RPZ origin.
 * @throws AppError 400 `domain_refused` naming the guard's rule (details.rule, details.matched),
 *   `invalid_domain` or `domain_too_long`.
 */
export function checkBlockDomain(config: Config, input: string, field = 'domain'): string {
  const domain = normalizeBlockDomain(input);
  const refusal = blockRefusal(input, config.blocklist.protectedDomains);
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
  await refreshCasesOf(trx, id, at, actorLabel(actor), 'blocklist_entry.proposed');
  return id;
}

/**
 * Recomputes the public state of the cases behind entry `entryId` after its state or its links
 * changed (a fraud website's state is about blocking: cases/status.ts), in the caller's transaction.
 */
async function refreshCasesOf(
  trx: Kysely<Database>,
  entryId: string,
  at: string,
  actor: string,
  cause: string,
): Promise<void> {
  const caseIds = (await caseIdsByEntry(trx, [entryId])).get(entryId) ?? [];
  if (caseIds.length > 0) await refreshCaseStatus(trx, caseIds, at, actor, cause);
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
  // An entry proposed under older rules (or another origin) is checked again before it is live.
  checkBlockDomain(deps.config, row.domain);
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
  await refreshCasesOf(trx, id, at, actorLabel(actor), 'blocklist_entry.activated');
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
  authorize(actor, 'blocklist.propose');
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
 * Only a domain the guard accepts (blockRefusal) is ever proposed: a case reporting
 * `https://ns1.example.org.rpz-nsdname/` proposes nothing (its registrable domain by the PSL's
 * default rule, `org.rpz-nsdname`, is refused with `rpz_label`).
 * @throws AppError 401/403; 404 `case_not_found`; 409 `case_not_confirmed` unless the verdict is
 *   fraud; 400 `no_website_domain` when the case names no blockable domain, `domain_not_in_case`,
 *   or the guard's `domain_refused` (naming the rule of the case's first domain).
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
  authorize(actor, 'blocklist.propose');
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
        (d) => blockRefusal(d, deps.config.blocklist.protectedDomains) === null,
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
      await refreshCasesOf(trx, open.id, at, actorLabel(actor), 'blocklist_entry.case_linked');
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
 * Activates a proposed entry: it needs a legal basis (court ruling, administrative disposition,
 * emergency order, or a suspension the requesting authority published; with reference and date)
 * and the requesting unit, given here or earlier; the domain enters the RPZ zone and the feeds
 * with the next serial.
 * @throws AppError 401/403; 404 `blocklist_entry_not_found`; 409 `invalid_transition`; 400
 *   `legal_basis_required`, `requesting_unit_required`, `invalid_legal_basis`, `invalid_time`,
 *   `effective_in_future`, `expiry_in_past`; the guard's `domain_refused` / `domain_too_long` for
 *   an entry proposed before the current rules or origin.
 */
export async function activateEntry(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: ActivationInput,
): Promise<BlocklistEntry> {
  authorize(actor, 'blocklist.activate');
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
 *   `note_required`; `domain_refused` / `domain_too_long` when reinstating an entry the current
 *   rules refuse (lift it instead).
 */
export async function transitionEntry(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  transition: EntryTransition,
  note: string | undefined,
): Promise<BlocklistEntry> {
  authorize(actor, 'blocklist.transition', `${transition} a blocklist entry`);
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
    if (rule.to === 'active') checkBlockDomain(deps.config, row.domain);
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
    await refreshCasesOf(trx, id, at, actorLabel(actor), `blocklist_entry.${rule.event}`);
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
      await refreshCasesOf(trx, row.id, at, 'system:expiry', 'blocklist_entry.expired');
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
  authorize(actor, 'blocklist.read');
  const entry = await loadEntry(deps.db, id);
  return { entry, events: await listEvents(deps.db, 'blocklist_entry', id) };
}

/** Filters and page of listEntryPage. */
export interface EntryListFilter {
  state?: EntryState | undefined;
  /** This domain exactly (any case, IDN or punycode; a URL's host). */
  domain?: string | undefined;
  /** Text the domain contains (punycode for IDNs; any case). */
  q?: string | undefined;
  /** Entries from this source (`case`, `api`, `tw165`, a file name, …). */
  source?: string | undefined;
  /** Continue after this entry ID (`next` of the previous page); not with `offset`. */
  after?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

function entryFilterOf(filter: EntryListFilter, page: { limit: number; offset: number }) {
  const q = filter.q?.trim().toLowerCase() ?? '';
  // An IDN typed in full is searched by its punycode, the form entries are stored in.
  const needle = q === '' ? '' : /^[\x20-\x7e]*$/.test(q) ? q : (normalizeBlockDomain(q) ?? q);
  return {
    state: filter.state,
    domain:
      filter.domain === undefined
        ? undefined
        : (normalizeBlockDomain(filter.domain) ?? filter.domain.trim().toLowerCase()),
    domainPattern: needle === '' ? undefined : containsPattern(needle),
    source: filter.source,
    after: filter.after,
    ...page,
  };
}

/**
 * One page of entries ordered by ID, with the true total: filtered by state, exact domain,
 * domain text and source; paged with `limit` (1–ENTRY_MAX_PAGE_SIZE) and `offset`, or continued
 * after an entry ID (`after`; `next` names the page's last entry while more may follow).
 * @throws AppError 401/403 unless analyst or admin; 400 for bad paging and for `after` with an
 *   `offset`.
 */
export async function listEntryPage(
  deps: ServiceDeps,
  actor: Actor,
  filter: EntryListFilter,
): Promise<Page<BlocklistEntry> & { next: string | null }> {
  authorize(actor, 'blocklist.read');
  const page = pageRequest(filter, { limit: ENTRY_PAGE_SIZE, max: ENTRY_MAX_PAGE_SIZE });
  if (filter.after !== undefined && page.offset > 0) {
    throw badRequest('validation_failed', 'Page with either after or offset, not both.', 'after');
  }
  const query = entryFilterOf(filter, page);
  const [rows, total] = await Promise.all([
    listEntryRows(deps.db, query),
    countEntryRows(deps.db, query),
  ]);
  const cases = await caseIdsByEntry(
    deps.db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => toEntry(r, cases.get(r.id) ?? [])),
    total,
    ...page,
    next: rows.length === page.limit ? (rows.at(-1)?.id ?? null) : null,
  };
}

/**
 * Entries ordered by ID (filter by state or domain; `after` = last ID of the previous page;
 * limit 1–1,000): listEntryPage's entries alone.
 * @throws AppError 401/403 unless analyst or admin.
 */
export async function listEntries(
  deps: ServiceDeps,
  actor: Actor,
  filter: EntryListFilter,
): Promise<BlocklistEntry[]> {
  return (await listEntryPage(deps, actor, filter)).items;
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

/**
 * The zone at one serial: its settings, serial and published domains (sorted; see
 * isPublishedName: allowed by the rules in force, not covered by another published domain).
 */
export interface ZoneSnapshot {
  readonly settings: RpzZoneSettings;
  readonly serial: number;
  readonly domains: readonly string[];
}

/**
 * Makes the zone's latest version carry the configured policy: writes a version with no changes
 * when there is none yet or when RPZ_ACTION/RPZ_LANDING_HOST/RPZ_TTL, the name rules (RPZ_ORIGIN,
 * BLOCKLIST_PROTECTED_DOMAINS, the guard or the Public Suffix List) changed, so secondaries see a
 * new serial and take the re-rendered zone by AXFR.
 * @returns the current serial.
 */
export async function ensureZonePolicy(deps: ServiceDeps): Promise<number> {
  const policy = zonePolicy(deps.config);
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
 * configured policy, then reads the serial and the active domains in one snapshot and keeps
 * the published ones (rpzNameSet under the configured rules), so the domains are exactly those
 * of that serial. Every consumer of the zone reads it here: the rpz.zone route, the DNS server's
 * SOA, AXFR and lookups, and zoneDiffSince's full answers.
 */
export async function currentZone(deps: ServiceDeps): Promise<ZoneSnapshot> {
  await expireDueEntries(deps);
  await ensureZonePolicy(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const { domains } = zoneNames(deps, await activeDomains(trx), nameRules(deps.config));
    return { settings: zoneSettings(deps.config), serial: latest?.serial ?? 0, domains };
  });
}

/** An active entry the zone leaves out (RpzOmission) with its ID. */
export interface ZoneOmission extends RpzOmission {
  readonly entryId: string;
}

/**
 * The zone as stored, without recording a policy change: expires due entries, then reads the
 * latest serial and the active domains in one snapshot and keeps the published ones under
 * `origin` (default RPZ_ORIGIN), with the entries left out and why. For printing the zone with
 * other settings (`scamnet blocklist rpz --origin …`) without touching what the DNS server
 * serves.
 * @param origin zone name, lower-case, no trailing dot.
 */
export async function storedZone(
  deps: ServiceDeps,
  origin = deps.config.blocklist.rpzOrigin,
): Promise<{ serial: number; domains: readonly string[]; omitted: ZoneOmission[] }> {
  await expireDueEntries(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const names = zoneNames(deps, await activeDomains(trx), nameRules(deps.config, origin));
    const ids = await activeIdsByDomain(
      trx,
      names.omitted.map((o) => o.domain),
    );
    return {
      serial: latest?.serial ?? 0,
      domains: names.domains,
      omitted: names.omitted.map((o) => ({ ...o, entryId: ids.get(o.domain) ?? '' })),
    };
  });
}

/**
 * The active entries the zone leaves out under the configured origin and rules, with the rule
 * and why (an entry stored before the guard's current rules, or too long for RPZ_ORIGIN); entries
 * covered by an active ancestor are published through it and are not listed. For staff: fix them
 * by lifting the entry.
 * @throws AppError 401/403 unless analyst or admin.
 */
export async function zoneOmissions(
  deps: ServiceDeps,
  actor: Actor,
): Promise<{ origin: string; serial: number; omitted: ZoneOmission[] }> {
  authorize(actor, 'blocklist.read_omissions');
  const { serial, omitted } = await storedZone(deps);
  return { origin: deps.config.blocklist.rpzOrigin, serial, omitted };
}

/** The current serial without writing anything (0 before the first version). */
export async function currentSerial(deps: Pick<ServiceDeps, 'db'>): Promise<number> {
  return (await latestVersion(deps.db))?.serial ?? 0;
}

/**
 * What an IXFR from `fromSerial` needs (RFC 1995): `up_to_date` when the client's serial is the
 * current one or newer (RFC 1982 serial arithmetic: RFC 1995 §2 answers both with one SOA);
 * `incremental` with the condensed difference (RFC 1995 §5: published names deleted and added
 * between the two serials, sorted, from the journal) when the journal covers the whole span under
 * one policy; `full` (answer with the whole zone, as AXFR: RFC 1995 §4) when the client's serial
 * is older and unknown, exactly 2^31 away (RFC 1982 leaves that order undefined), from before a
 * policy change, or the difference is much larger than the zone (over 2n + 16 names).
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
      snapshot: {
        settings,
        serial,
        domains: zoneNames(deps, await activeDomains(trx), nameRules(deps.config)).domains,
      },
    });
    // RFC 1995 §2: the client's serial is the same as ours or newer (RFC 1982 arithmetic, so
    // also across a wrap past 2^32 − 1): one SOA. An older one we know: the difference.
    const order = serialCompare(fromSerial, serial);
    if (order === 0 || order === 1) return { kind: 'up_to_date', zone: { settings, serial } };
    const base = order === -1 ? await findVersion(trx, fromSerial) : undefined;
    if (base === undefined) return full();
    const versions = await versionsAfter(trx, fromSerial, serial);
    if (versions.some((v) => v.policy !== base.policy) || base.policy !== zonePolicy(deps.config)) {
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
  authorize(actor, 'blocklist.import');
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

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/** The start (ISO 8601 UTC) of the revocation window (FEED_REVOCATION_DAYS) ending at now. */
function revocationWindowStart(deps: ServiceDeps): string {
  return isoTime(deps.clock.now() - deps.config.blocklist.feedRevocationDays * DAY_MS);
}

/**
 * The active entries as the feeds publish them, read with `db` (a snapshot or a transaction):
 * each with its case IDs and the URLs reported in those cases whose host is the entry's domain or
 * under it, as RFC 3986 URIs (rfc3986Uri), ordered by domain. The protection guard applies at
 * render time too: an entry whose domain the guard refuses now (the protected list changed since
 * it was activated) is `withheld` instead of published, and a URL on a refused host is left out.
 */
async function readFeedEntries(
  db: Kysely<Database>,
  config: Config,
): Promise<{ entries: FeedEntry[]; withheld: BlocklistEntry[] }> {
  const protectedDomains = config.blocklist.protectedDomains;
  const rows = await activeEntryRows(db);
  const cases = await caseIdsByEntry(
    db,
    rows.map((r) => r.id),
  );
  const urls = await reportedUrlsOfCases(db, [...new Set([...cases.values()].flat())]);
  const entries: FeedEntry[] = [];
  const withheld: BlocklistEntry[] = [];
  for (const row of rows) {
    const caseIds = cases.get(row.id) ?? [];
    // The same rules as the RPZ zone (blockRefusal): an entry stored before a rule existed, or
    // protected since, never reaches a feed.
    if (blockRefusal(row.domain, protectedDomains) !== null) {
      withheld.push(toEntry(row, caseIds));
      continue;
    }
    const entryUrls = new Set<string>();
    for (const url of caseIds.flatMap((id) => urls.get(id) ?? [])) {
      const host = normalizeBlockDomain(url);
      if (host === null || (host !== row.domain && !host.endsWith(`.${row.domain}`))) continue;
      if (siteWideRefusal(host, protectedDomains) !== null) continue;
      const uri = rfc3986Uri(url);
      if (uri !== null) entryUrls.add(uri);
    }
    entries.push({ ...toEntry(row, caseIds), urls: [...entryUrls].sort() });
  }
  return { entries, withheld };
}

/** What the hosts, adblock, CSV and JSON feeds publish (see feedSnapshot). */
export interface FeedSnapshot {
  /** The RPZ zone serial the entries were read at. */
  readonly serial: number;
  /** The published set: active entries the protection guard accepts, ordered by domain. */
  readonly entries: FeedEntry[];
  /** Entries that ended within the revocation window, then withheld ones. */
  readonly ended: EndedEntry[];
}

/**
 * What the entry-based feeds publish, read in one snapshot after expiring due entries: the zone
 * serial, the published entries (readFeedEntries: guard applied, URLs in RFC 3986 form) and the
 * entries that left the published set within the last FEED_REVOCATION_DAYS days (lifted,
 * expired, appealed) or are withheld by the guard.
 */
export async function feedSnapshot(deps: ServiceDeps): Promise<FeedSnapshot> {
  await expireDueEntries(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const { entries, withheld } = await readFeedEntries(trx, deps.config);
    const ended: EndedEntry[] = (await endedEntryRows(trx, revocationWindowStart(deps))).map(
      (row) => ({
        id: row.id,
        domain: row.domain,
        state:
          row.state === 'expired' ? 'expired' : row.state === 'appealed' ? 'appealed' : 'lifted',
        endedAt: row.updated_at,
      }),
    );
    for (const e of withheld) {
      ended.push({ id: e.id, domain: e.domain, state: 'withheld', endedAt: null });
    }
    return { serial: latest?.serial ?? 0, entries, ended };
  });
}

/** What the STIX and MISP feeds publish (see indicatorSnapshot). */
export interface IndicatorSnapshot extends IndicatorFeedContext {
  /** Unrevoked indicators and those revoked within the revocation window. */
  readonly indicators: FeedIndicator[];
}

/**
 * What the STIX and MISP feeds publish, from the publication ledger (feed_indicators) brought up
 * to date first: the indicators the published entries call for (wantedIndicators) are compared
 * with the ledger's unrevoked rows (planIndicators); new ones get a row (a new ID, `created` =
 * now, kept forever), changed ones a new version, and those no longer called for (entry lifted,
 * appealed, expired or withheld by the guard; URL gone) are revoked. The ledger is written under
 * the zone lock, so concurrent renders and blocklist changes on PostgreSQL cannot both add the
 * same indicator. Then returns the unrevoked indicators and those revoked within the last
 * FEED_REVOCATION_DAYS days, with the times of the first publication and the latest change.
 */
export async function indicatorSnapshot(deps: ServiceDeps): Promise<IndicatorSnapshot> {
  await expireDueEntries(deps);
  const read = async (trx: Kysely<Database>): Promise<IndicatorSnapshot> => ({
    indicators: await publishedIndicators(trx, revocationWindowStart(deps)),
    ...(await indicatorTimes(trx)),
  });
  const planNow = async (trx: Kysely<Database>): Promise<IndicatorPlan> => {
    const { entries } = await readFeedEntries(trx, deps.config);
    return planIndicators(
      wantedIndicators(entries),
      await openIndicators(trx),
      deps.clock.now(),
      () => randomUUID(),
    );
  };
  const isEmpty = (plan: IndicatorPlan): boolean =>
    plan.insert.length + plan.update.length + plan.revoke.length === 0;
  const current = await inSnapshot(deps, async (trx) =>
    isEmpty(await planNow(trx)) ? read(trx) : undefined,
  );
  if (current !== undefined) return current;
  return deps.db.transaction().execute(async (trx) => {
    await lockZone(trx, deps.dialect);
    await applyIndicatorPlan(trx, await planNow(trx));
    return read(trx);
  });
}
