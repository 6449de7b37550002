import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import { actorLabel, authorize, type Actor } from '../policy/index.js';
import { apiKeyIdOf, hashSecret, newApiKey, safeEqual } from './credentials.js';
import {
  findApiKey,
  insertApiKey,
  listApiKeyRows,
  revokeApiKeyRow,
  sourceKindsOfName,
  touchApiKey,
  type ApiKeyRow,
} from './identity.repo.js';
import { actorFor, isAccountRole, normaliseScope, type AccountRole } from './scope.js';

import { recordEvent } from '../log/index.js';
import { isPlatform, isSourceKind } from '../vocabulary/index.js';
import type { Platform, SourceKind } from '../vocabulary/index.js';
import { normaliseKeySource } from './report-source.js';
/** What an admin sees of an API key: never the key or its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: AccountRole;
  entityIds: string[];
  platform: Platform | null;
  /** The source its reports come from (SOURCE_KINDS); `citizen` for a key without one. */
  sourceKind: SourceKind;
  /** The source's name; null for `citizen`. */
  sourceName: string | null;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Input of createApiKey. */
export interface NewApiKeyInput {
  name: string;
  role: string;
  entityIds?: readonly string[] | undefined;
  platform?: string | null | undefined;
  /** A reporter key's source (KEY_SOURCE_KINDS); none: the key reports as a citizen. */
  sourceKind?: string | null | undefined;
  /** The source's name, required with a source kind (see normaliseKeySource). */
  sourceName?: string | null | undefined;
}

const MAX_KEY_NAME_CHARS = 200;
/** `last_used_at` is written at most once a minute per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The admin view of a stored key.
 * @throws Error when the stored role or platform is unknown (a corrupted row).
 */
export function presentApiKey(row: ApiKeyRow): ApiKeyView {
  if (!isAccountRole(row.role)) throw new Error(`API key ${row.id} has an unknown role`);
  const platform = row.platform;
  if (platform !== null && !isPlatform(platform)) {
    throw new Error(`API key ${row.id} has an unknown platform`);
  }
  const sourceKind = row.sourceKind ?? 'citizen';
  if (!isSourceKind(sourceKind)) throw new Error(`API key ${row.id} has an unknown source kind`);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    entityIds: row.entityIds,
    platform,
    sourceKind,
    sourceName: row.sourceName,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * Creates an API key for a machine client (admins only), scoped to a role and, for verifiers and
 * platform liaisons, to entities or a platform, and for reporter keys to a source (kind and name,
 * normaliseKeySource) whose reports it sends; recorded as `api_key.created`. The key
 * `snk_<id>_<secret>` is returned once and stored only as its SHA-256 hash.
 * @throws AppError 401/403 unless `actor` is an admin; 400 `invalid_name`, the scope errors
 *   of normaliseScope and the source errors of normaliseKeySource; 409 `source_name_taken` when
 *   the source name is another kind's.
 */
export async function createApiKey(
  deps: ServiceDeps,
  actor: Actor,
  input: NewApiKeyInput,
): Promise<{ apiKey: ApiKeyView; key: string }> {
  authorize(actor, 'api_key.create');
  const name = input.name.trim();
  if (name === '' || name.length > MAX_KEY_NAME_CHARS) {
    throw badRequest(
      'invalid_name',
      `Name the key (1 to ${MAX_KEY_NAME_CHARS} characters).`,
      'name',
    );
  }
  const scope = normaliseScope(input);
  const source = normaliseKeySource(input);
  if (source.sourceName !== null) {
    // One name, one kind: a source's externalIds and reports are found by its name, so a second
    // kind under it would see (and be refused as duplicates of) the first one's reports.
    const kinds = await sourceKindsOfName(deps.db, source.sourceName);
    const other = kinds.find((kind) => kind !== source.sourceKind);
    if (other !== undefined) {
      throw conflict(
        'source_name_taken',
        `The source name ${source.sourceName} is already a ${other} source: choose another name.`,
      );
    }
  }
  const { id, key, keyHash } = newApiKey();
  const now = isoTime(deps.clock.now());
  const createdBy = actorLabel(actor);
  await deps.db.transaction().execute(async (trx) => {
    await insertApiKey(trx, {
      id,
      name,
      ...scope,
      ...source,
      keyHash,
      createdBy,
      createdAt: now,
    });
    await recordEvent(trx, {
      type: 'api_key.created',
      subjectType: 'user',
      subjectId: `apikey:${id}`,
      actor: createdBy,
      at: now,
      data: { name, ...scope, ...source },
    });
  });
  const row = await findApiKey(deps.db, id);
  if (row === undefined) throw new Error(`API key ${id} vanished after creation`);
  return { apiKey: presentApiKey(row), key };
}

/**
 * Every API key, oldest first (admins only).
 * @throws AppError 401/403 unless `actor` is an admin.
 */
export async function listApiKeys(deps: ServiceDeps, actor: Actor): Promise<ApiKeyView[]> {
  authorize(actor, 'api_key.list');
  return (await listApiKeyRows(deps.db)).map(presentApiKey);
}

/**
 * Revokes an API key (admins only): every later request with it gets 401. Recorded as
 * `api_key.revoked`; revoking a revoked key changes nothing.
 * @throws AppError 401/403 unless `actor` is an admin; 404 `api_key_not_found`.
 */
export async function revokeApiKey(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<ApiKeyView> {
  authorize(actor, 'api_key.revoke');
  const now = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    if ((await findApiKey(trx, id)) === undefined) {
      throw notFound('api_key_not_found', `No API key ${id}.`);
    }
    if (!(await revokeApiKeyRow(trx, id, now))) return;
    await recordEvent(trx, {
      type: 'api_key.revoked',
      subjectType: 'user',
      subjectId: `apikey:${id}`,
      actor: actorLabel(actor),
      at: now,
      data: {},
    });
  });
  const row = await findApiKey(deps.db, id);
  if (row === undefined) throw new Error(`API key ${id} vanished`);
  return presentApiKey(row);
}

/**
 * The actor of an API key (`apikey:<id>`), noting its use (at most once a minute).
 * @returns undefined when the key is malformed, unknown, revoked or does not match its hash.
 */
export async function actorOfApiKey(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  key: string,
): Promise<Actor | undefined> {
  const id = apiKeyIdOf(key);
  if (id === undefined) return undefined;
  const row = await findApiKey(deps.db, id);
  if (row === undefined || row.revokedAt !== null) return undefined;
  if (!safeEqual(hashSecret(key), row.keyHash)) return undefined;
  const now = deps.clock.now();
  await touchApiKey(deps.db, id, isoTime(now), isoTime(now - LAST_USED_RESOLUTION_MS));
  return actorFor(`apikey:${id}`, row.role, row.entityIds, row.platform);
}
