import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { groupPairs } from '../shared/group.js';
import { countedPage } from '../shared/counts.repo.js';
import type { PageRequest } from '../shared/paging.js';

/** A user row with its entity IDs, columns mapped to camelCase. */
export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  role: string;
  platform: string | null;
  passwordHash: string;
  entityIds: string[];
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  lastLoginAt: string | null;
}

/** An API key row with its entity IDs (never the key itself). */
export interface ApiKeyRow {
  id: string;
  name: string;
  role: string;
  platform: string | null;
  keyHash: string;
  entityIds: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The source its reports come from (SOURCE_KINDS); null: `citizen`. */
  sourceKind: string | null;
  sourceName: string | null;
}

/** A session joined with its user's state. */
export interface SessionRow {
  userId: string;
  csrfToken: string;
  expiresAt: string;
  revokedAt: string | null;
}

async function entityIdsOf(
  db: Kysely<Database>,
  userIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('user_entities')
    .select(['user_id', 'entity_id'])
    .where('user_id', 'in', userIds)
    .orderBy('entity_id')
    .execute();
  return groupPairs(rows.map((row) => [row.user_id, row.entity_id] as const));
}

const USER_COLUMNS = [
  'id',
  'email',
  'display_name',
  'role',
  'platform',
  'password_hash',
  'created_at',
  'updated_at',
  'disabled_at',
  'last_login_at',
] as const;

type UserSelect = Pick<Database['users'], (typeof USER_COLUMNS)[number]>;

function mapUser(row: UserSelect, entityIds: string[]): UserRow {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    platform: row.platform,
    passwordHash: row.password_hash,
    entityIds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabledAt: row.disabled_at,
    lastLoginAt: row.last_login_at,
  };
}

/** `rows` as UserRows, with their entity links. */
async function withUserEntities(db: Kysely<Database>, rows: UserSelect[]): Promise<UserRow[]> {
  const entities = await entityIdsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => mapUser(r, entities.get(r.id) ?? []));
}

/** The user whose `column` (both unique) is `value`, or undefined. */
async function findUserBy(
  db: Kysely<Database>,
  column: 'id' | 'email',
  value: string,
): Promise<UserRow | undefined> {
  const rows = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where(column, '=', value)
    .execute();
  return (await withUserEntities(db, rows))[0];
}

/** The user with this ID, or undefined. */
export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return findUserBy(db, 'id', id);
}

/** The user with this (lowercased) e-mail address, or undefined. */
export async function findUserByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<UserRow | undefined> {
  return findUserBy(db, 'email', email);
}

/** Every user, oldest first. */
export async function listUserRows(db: Kysely<Database>): Promise<UserRow[]> {
  const rows = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return withUserEntities(db, rows);
}

/** Inserts a user and its entity links. */
export async function insertUser(
  db: Kysely<Database>,
  user: Omit<UserRow, 'lastLoginAt' | 'disabledAt'>,
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email,
      display_name: user.displayName,
      role: user.role,
      platform: user.platform,
      password_hash: user.passwordHash,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      disabled_at: null,
      last_login_at: null,
    })
    .execute();
  await replaceUserEntities(db, user.id, user.entityIds);
}

/** Replaces the entity links of a user. */
export async function replaceUserEntities(
  db: Kysely<Database>,
  userId: string,
  entityIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('user_entities').where('user_id', '=', userId).execute();
  if (entityIds.length === 0) return;
  await db
    .insertInto('user_entities')
    .values(entityIds.map((entityId) => ({ user_id: userId, entity_id: entityId })))
    .execute();
}

/** Updates the given columns of a user. */
export async function updateUserRow(
  db: Kysely<Database>,
  id: string,
  changes: {
    displayName?: string;
    role?: string;
    platform?: string | null;
    passwordHash?: string;
    disabledAt?: string | null;
    lastLoginAt?: string;
    updatedAt?: string;
  },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.platform === undefined ? {} : { platform: changes.platform }),
      ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
      ...(changes.disabledAt === undefined ? {} : { disabled_at: changes.disabledAt }),
      ...(changes.lastLoginAt === undefined ? {} : { last_login_at: changes.lastLoginAt }),
      ...(changes.updatedAt === undefined ? {} : { updated_at: changes.updatedAt }),
    })
    .where('id', '=', id)
    .execute();
}

/** Stores a new session (by the hash of its token). */
export async function insertSession(
  db: Kysely<Database>,
  session: {
    tokenHash: string;
    userId: string;
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
      revoked_at: null,
    })
    .execute();
}

/** The session whose token hashes to `tokenHash`, or undefined. */
export async function findSession(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'csrf_token', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    userId: row.user_id,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** Revokes one session (idempotent: a revoked session keeps its first revocation time). */
export async function revokeSession(
  db: Kysely<Database>,
  tokenHash: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every open session of a user but `keepTokenHash` (when given); returns how many. */
export async function revokeUserSessions(
  db: Kysely<Database>,
  userId: string,
  at: string,
  keepTokenHash?: string,
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keepTokenHash !== undefined) query = query.where('token_hash', '!=', keepTokenHash);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

const API_KEY_COLUMNS = [
  'id',
  'name',
  'role',
  'platform',
  'key_hash',
  'created_by',
  'created_at',
  'last_used_at',
  'revoked_at',
  'source_kind',
  'source_name',
] as const;

type ApiKeySelect = Pick<Database['api_keys'], (typeof API_KEY_COLUMNS)[number]>;

async function withKeyEntities(db: Kysely<Database>, rows: ApiKeySelect[]): Promise<ApiKeyRow[]> {
  const links =
    rows.length === 0
      ? []
      : await db
          .selectFrom('api_key_entities')
          .select(['api_key_id', 'entity_id'])
          .where(
            'api_key_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('entity_id')
          .execute();
  const byKey = groupPairs(links.map((link) => [link.api_key_id, link.entity_id] as const));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    platform: row.platform,
    keyHash: row.key_hash,
    entityIds: byKey.get(row.id) ?? [],
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    sourceKind: row.source_kind,
    sourceName: row.source_name,
  }));
}

/** The API key with this public ID, or undefined. */
export async function findApiKey(db: Kysely<Database>, id: string): Promise<ApiKeyRow | undefined> {
  const rows = await db
    .selectFrom('api_keys')
    .select(API_KEY_COLUMNS)
    .where('id', '=', id)
    .execute();
  return (await withKeyEntities(db, rows))[0];
}

/**
 * The source kinds the source name `name` is already used with: by API keys, and by reports
 * stored under it (file imports, the LINE bot).
 */
export async function sourceKindsOfName(db: Kysely<Database>, name: string): Promise<string[]> {
  const keys = await db
    .selectFrom('api_keys')
    .select('source_kind')
    .distinct()
    .where('source_name', '=', name)
    .execute();
  const reports = await db
    .selectFrom('reports')
    .select('source_kind')
    .distinct()
    .where('source', '=', name)
    .execute();
  return [
    ...new Set(
      [...keys, ...reports].flatMap((r) => (r.source_kind === null ? [] : [r.source_kind])),
    ),
  ];
}

/** Every API key, oldest first. */
export async function listApiKeyRows(db: Kysely<Database>): Promise<ApiKeyRow[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(API_KEY_COLUMNS)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return withKeyEntities(db, rows);
}

/** Inserts an API key (its hash) and its entity links. */
export async function insertApiKey(
  db: Kysely<Database>,
  key: Omit<ApiKeyRow, 'lastUsedAt' | 'revokedAt'>,
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      id: key.id,
      name: key.name,
      role: key.role,
      platform: key.platform,
      key_hash: key.keyHash,
      created_by: key.createdBy,
      created_at: key.createdAt,
      last_used_at: null,
      revoked_at: null,
      source_kind: key.sourceKind,
      source_name: key.sourceName,
    })
    .execute();
  if (key.entityIds.length > 0) {
    await db
      .insertInto('api_key_entities')
      .values(key.entityIds.map((entityId) => ({ api_key_id: key.id, entity_id: entityId })))
      .execute();
  }
}

/** Sets revoked_at on an API key that is not revoked yet; true when it changed. */
export async function revokeApiKeyRow(
  db: Kysely<Database>,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records a use of an API key when the last recorded use is older than `staleBefore`. */
export async function touchApiKey(
  db: Kysely<Database>,
  id: string,
  at: string,
  staleBefore: string,
): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}

/** One of a reporter's own reports as their list shows it. */
export interface OwnReportRow {
  id: string;
  case_id: string;
  received_at: string;
  url: string | null;
  text: string | null;
  platform: string | null;
}

/**
 * One page of the reports signed-in user `userId` sent, newest first (received time, then ID,
 * descending), with the number of all of them.
 */
export async function reportsOfUser(
  db: Kysely<Database>,
  userId: string,
  page: PageRequest,
): Promise<{ total: number; rows: OwnReportRow[] }> {
  const mine = db.selectFrom('reports').where('reporter_user_id', '=', userId);
  return countedPage(mine, () =>
    mine
      .select(['id', 'case_id', 'received_at', 'url', 'text', 'platform'])
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  );
}

/** One of a source's reports as its own list shows it, with its case's change time. */
export interface SourceReportRow {
  id: string;
  case_id: string;
  external_id: string | null;
  received_at: string;
  url: string | null;
  platform: string | null;
  case_updated_at: string;
}

/**
 * Up to `limit` reports of source `kind`/`name` whose case changed after the keyset position
 * `after` (case `updated_at`, then report ID), in that order: a sync cursor that a case's change
 * of state moves its reports past.
 */
export async function reportsOfSource(
  db: Kysely<Database>,
  source: { kind: string; name: string },
  after: { updatedAt: string; reportId: string } | undefined,
  limit: number,
): Promise<SourceReportRow[]> {
  let query = db
    .selectFrom('reports as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select([
      'r.id',
      'r.case_id',
      'r.external_id',
      'r.received_at',
      'r.url',
      'r.platform',
      'c.updated_at as case_updated_at',
    ])
    .where('r.source_kind', '=', source.kind)
    .where('r.source', '=', source.name);
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('c.updated_at', '>', after.updatedAt),
        eb.and([eb('c.updated_at', '=', after.updatedAt), eb('r.id', '>', after.reportId)]),
      ]),
    );
  }
  return query.orderBy('c.updated_at').orderBy('r.id').limit(limit).execute();
}
