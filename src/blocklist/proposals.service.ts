/**
 * Proposing blocklist entries (state `proposed`, nothing published yet): a domain given by
 * staff, or the website of a confirmed-fraud case, linked to its cases.
 */
import type { Kysely } from 'kysely';
import { caseNotFound, refreshCaseStatus } from '../cases/index.js';
import { blockRefusal, normalizeBlockDomain } from '../indicators/index.js';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest, conflict } from '../shared/errors.js';
import { randomBase32 } from '../shared/ids.js';
import type { Database } from '../store/index.js';
import {
  caseIdsByEntry,
  caseWebsiteFacts,
  findOpenEntryRow,
  insertEntry,
  linkCases,
} from './blocklist.repo.js';
import type { BlocklistEntry } from './blocklist.types.js';
import { loadEntry } from './entries.service.js';
import { checkBlockDomain, checkLegalBasis, type NewEntryInput } from './entry-checks.js';
import { inZoneTransaction } from './zone-journal.js';

function newEntryId(): string {
  return `B${randomBase32(12)}`;
}

/**
 * Creates a `proposed` entry inside `trx` (no role check: callers check). Guard, length and
 * one-open-entry-per-domain are enforced.
 * @throws AppError 400 `domain_refused` / `invalid_domain` / `domain_too_long`, 409
 *   `blocklist_entry_exists` when the domain already has an open entry (details.entryId).
 */
export async function proposeIn(
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
export async function refreshCasesOf(
  trx: Kysely<Database>,
  entryId: string,
  at: string,
  actor: string,
  cause: string,
): Promise<void> {
  const caseIds = (await caseIdsByEntry(trx, [entryId])).get(entryId) ?? [];
  if (caseIds.length > 0) await refreshCaseStatus(trx, caseIds, at, actor, cause);
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
        throw caseNotFound(caseId);
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
    if (facts === undefined) throw caseNotFound(caseId);
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
