/** Reading blocklist entries: one with its audit trail, pages of them, the published set. */
import type { Kysely } from 'kysely';
import { normalizeBlockDomain } from '../indicators/index.js';
import { listEvents } from '../log/index.js';
import type { StoredEvent } from '../log/index.js';
import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, notFound } from '../shared/errors.js';
import { containsPattern, pageRequest, type Page } from '../shared/paging.js';
import type { Database } from '../store/index.js';
import {
  activeEntryRows,
  caseIdsByEntry,
  countEntryRows,
  findEntryRow,
  listEntryRows,
  toEntry,
  type EntryRow,
} from './blocklist.repo.js';
import {
  ENTRY_MAX_PAGE_SIZE,
  ENTRY_PAGE_SIZE,
  type BlocklistEntry,
  type EntryState,
} from './blocklist.types.js';

/**
 * The stored row of blocklist entry `id`, read through `db` (the store or the caller's
 * transaction).
 * @throws 404 `blocklist_entry_not_found` when there is no such entry.
 */
export async function requireEntryRow(db: Kysely<Database>, id: string): Promise<EntryRow> {
  const row = await findEntryRow(db, id);
  if (row === undefined) throw notFound('blocklist_entry_not_found', `No blocklist entry ${id}.`);
  return row;
}

/**
 * Entry `id` with its case IDs.
 * @throws AppError 404 `blocklist_entry_not_found`.
 */
export async function loadEntry(db: Kysely<Database>, id: string): Promise<BlocklistEntry> {
  const row = await requireEntryRow(db, id);
  const cases = await caseIdsByEntry(db, [id]);
  return toEntry(row, cases.get(id) ?? []);
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
