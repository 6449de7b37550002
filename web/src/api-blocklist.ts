/** Blocklist entries for staff: list, propose, activate with a legal basis, appeal, reinstate, lift. */
import {
  ENTRY_STATES,
  LEGAL_BASES,
  type EntryState,
  type LegalBasisKind,
} from '../../src/vocabulary/index.js';
import { request } from './http';
import { readPage, setPaging, type PageOf } from './paging';
import { Reader } from './reader';

const enc = encodeURIComponent;

export {
  ENTRY_STATES,
  LEGAL_BASES,
  type EntryState,
  type LegalBasisKind,
} from '../../src/vocabulary/index.js';

export interface LegalBasis {
  kind: LegalBasisKind;
  reference: string;
  /** YYYY-MM-DD. */
  date: string;
}

export interface BlocklistEntry {
  id: string;
  domain: string;
  state: EntryState;
  legalBasis: LegalBasis | null;
  requestingUnit: string | null;
  siteType: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
  source: string;
  note: string | null;
  caseIds: string[];
  createdAt: string;
  updatedAt: string;
}

function readEntry(r: Reader): BlocklistEntry {
  const basis = r.nobj('legalBasis');
  return {
    id: r.str('id'),
    domain: r.str('domain'),
    state: r.oneOfOr('state', ENTRY_STATES, 'proposed'),
    legalBasis:
      basis === null
        ? null
        : {
            kind: basis.oneOf('kind', LEGAL_BASES),
            reference: basis.str('reference'),
            date: basis.str('date'),
          },
    requestingUnit: r.nstr('requestingUnit'),
    siteType: r.nstr('siteType'),
    effectiveAt: r.nstr('effectiveAt'),
    expiresAt: r.nstr('expiresAt'),
    source: r.str('source'),
    note: r.nstr('note'),
    caseIds: r.strs('caseIds'),
    createdAt: r.str('createdAt'),
    updatedAt: r.str('updatedAt'),
  };
}

/**
 * One page of blocklist entries (ordered by ID) with the total, filtered by state, text in the
 * domain and source. @throws ApiError 400, 401, 403.
 */
export async function getBlocklistEntries(
  filter: {
    state?: EntryState;
    /** Text the domain contains. */
    q?: string;
    source?: string;
    limit?: number;
    offset?: number;
  },
  signal?: AbortSignal,
): Promise<PageOf<BlocklistEntry>> {
  const params = new URLSearchParams();
  if (filter.state !== undefined) params.set('state', filter.state);
  for (const key of ['q', 'source'] as const) {
    const value = filter[key]?.trim() ?? '';
    if (value !== '') params.set(key, value);
  }
  setPaging(params, filter);
  return readPage(
    new Reader(
      await request(`/api/v1/blocklist/entries?${params.toString()}`, { signal }),
      'entries',
    ),
    'entries',
    readEntry,
  );
}

export async function proposeBlocklistEntry(input: {
  domain: string;
  caseIds?: string[];
  siteType?: string;
  note?: string;
}): Promise<BlocklistEntry> {
  return readEntry(
    new Reader(
      await request('/api/v1/blocklist/entries', { method: 'POST', body: input }),
      'entry',
    ).obj('entry'),
  );
}

export async function activateBlocklistEntry(
  id: string,
  input: { legalBasis: LegalBasis; requestingUnit: string; expiresAt?: string },
): Promise<BlocklistEntry> {
  return readEntry(
    new Reader(
      await request(`/api/v1/blocklist/entries/${enc(id)}/activate`, {
        method: 'POST',
        body: input,
      }),
      'entry',
    ).obj('entry'),
  );
}

export const ENTRY_TRANSITIONS = ['appeal', 'reinstate', 'lift'] as const;
export type EntryTransition = (typeof ENTRY_TRANSITIONS)[number];

export async function transitionBlocklistEntry(
  id: string,
  transition: EntryTransition,
  note: string,
): Promise<BlocklistEntry> {
  return readEntry(
    new Reader(
      await request(`/api/v1/blocklist/entries/${enc(id)}/${transition}`, {
        method: 'POST',
        body: note.trim() === '' ? {} : { note: note.trim() },
      }),
      'entry',
    ).obj('entry'),
  );
}
