import { badRequest } from '../shared/errors.js';
import type { ServiceDeps } from '../shared/deps.js';
import type { Actor } from '../policy/index.js';
import { SOURCE_KINDS, isSourceKind, type SourceKind } from '../vocabulary/index.js';
import { findApiKey } from './identity.repo.js';

/** Where a report comes from: its kind (SOURCE_KINDS) and the source's name. */
export interface ReportSource {
  kind: SourceKind;
  /** `citizen` for citizens; the source's name otherwise (an API key's, an entity's). */
  name: string;
}

/** The source of every report sent without a source credential. */
export const CITIZEN_SOURCE: ReportSource = Object.freeze({ kind: 'citizen', name: 'citizen' });

/**
 * Source kinds an API key can be issued for: everything but `citizen` (a key without a source)
 * and `public_figure` (the impersonated party's own channel is a verifier's credential).
 */
export const KEY_SOURCE_KINDS = SOURCE_KINDS.filter(
  (kind) => kind !== 'citizen' && kind !== 'public_figure',
);

/** A source name: as an importer's `--source` (they share one namespace of external IDs). */
const SOURCE_NAME_PATTERN = /^[a-z0-9_.-]{1,64}$/;

/**
 * Checks the source an API key is issued for: none (or `citizen`) for a citizen's client; any of
 * KEY_SOURCE_KINDS with a name for a `reporter` key (a partner, agency, local government, the
 * scanner, the LINE bot). The name is the namespace of the source's `externalId`s and of what
 * `GET /api/v1/reports/mine` lists, shared with a file import of the same `--source`.
 * @returns the columns to store (both null for a citizen's key).
 * @throws AppError 400 `invalid_source_kind`, `source_role_mismatch` (a source on a non-reporter
 *   key), `source_name_required`, `invalid_source_name` (not `[a-z0-9_.-]{1,64}`, or `citizen`).
 */
export function normaliseKeySource(input: {
  role: string;
  sourceKind?: string | null | undefined;
  sourceName?: string | null | undefined;
}): { sourceKind: SourceKind | null; sourceName: string | null } {
  const kind = input.sourceKind ?? null;
  const name = input.sourceName?.trim() || null;
  if (kind === null || kind === 'citizen') {
    if (name !== null) {
      throw badRequest(
        'source_name_required',
        'A source name goes with a source kind other than citizen.',
        'sourceKind',
      );
    }
    return { sourceKind: null, sourceName: null };
  }
  if (!isSourceKind(kind) || !(KEY_SOURCE_KINDS as readonly string[]).includes(kind)) {
    throw badRequest(
      'invalid_source_kind',
      `The source kind must be one of ${KEY_SOURCE_KINDS.join(', ')} (a public figure reports ` +
        'with a verifier credential).',
      'sourceKind',
    );
  }
  if (input.role !== 'reporter') {
    throw badRequest(
      'source_role_mismatch',
      'Only a reporter key is issued for a source.',
      'sourceKind',
    );
  }
  if (name === null) {
    throw badRequest('source_name_required', 'Name the source (e.g. whoscall).', 'sourceName');
  }
  if (!SOURCE_NAME_PATTERN.test(name) || name === 'citizen') {
    throw badRequest(
      'invalid_source_name',
      'A source name is 1 to 64 of a-z, 0-9, _, . and -, and not "citizen".',
      'sourceName',
    );
  }
  return { sourceKind: kind, sourceName: name };
}

/**
 * The source of the reports an actor sends, from its credential only: an API key's source
 * (kind and name), `public_figure` for a verifier (the impersonated party's own channel, named
 * `entity:<entity ID>`: `forEntity` when it is theirs, else their first), `citizen` for everyone
 * else (the public, signed-in reporters, staff, keys issued without a source).
 */
export async function reportSourceOf(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  forEntity?: string,
): Promise<ReportSource> {
  if (actor.role === 'verifier') {
    const entity =
      forEntity !== undefined && actor.entityIds.includes(forEntity)
        ? forEntity
        : (actor.entityIds[0] ?? '');
    return { kind: 'public_figure', name: `entity:${entity}` };
  }
  if (actor.role === 'public' || !actor.id.startsWith('apikey:')) return CITIZEN_SOURCE;
  const row = await findApiKey(deps.db, actor.id.slice('apikey:'.length));
  const kind = row?.sourceKind ?? null;
  if (row === undefined || kind === null || !isSourceKind(kind) || row.sourceName === null) {
    return CITIZEN_SOURCE;
  }
  return { kind, name: row.sourceName };
}
