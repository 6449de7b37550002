import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.js';
import { actorLabel, authorize, type Actor } from '../policy/index.js';
import { newUserId } from './credentials.js';
import {
  findUserByEmail,
  findUserById,
  insertUser,
  listUserRows,
  replaceUserEntities,
  revokeUserSessions,
  updateUserRow,
  type UserRow,
} from './identity.repo.js';
import { assertPasswordAcceptable, generatePassword, hashPassword } from './password.js';
import { isAccountRole, normaliseScope, type AccountRole } from './scope.js';

import { recordEvent } from '../log/index.js';
import { isPlatform } from '../vocabulary/index.js';
import type { Platform } from '../vocabulary/index.js';
/** What a signed-in person learns about themselves (sign-in and `GET /auth/me`). */
export interface UserProfile {
  id: string;
  email: string;
  displayName: string;
  role: AccountRole;
  entityIds: string[];
  platform: Platform | null;
}

/** What an admin sees of an account. Never the password hash. */
export interface UserAccount extends UserProfile {
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  lastLoginAt: string | null;
}

/** Input of createUser. Without `password` one is generated and returned once. */
export interface NewUserInput {
  email: string;
  role: string;
  displayName?: string | undefined;
  password?: string | undefined;
  entityIds?: readonly string[] | undefined;
  platform?: string | null | undefined;
}

/** Input of updateUser: only the fields given change. */
export interface UserChanges {
  displayName?: string | undefined;
  role?: string | undefined;
  entityIds?: readonly string[] | undefined;
  platform?: string | null | undefined;
}

const MAX_EMAIL_CHARS = 254;
const MAX_NAME_CHARS = 200;

/**
 * Lowercases and trims an e-mail address and checks its shape (something@host.tld, ≤254
 * characters, RFC 5321's path limit).
 * @throws AppError 400 `invalid_email` naming the field `email`.
 */
export function normaliseEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (value.length > MAX_EMAIL_CHARS || !/^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(value)) {
    throw badRequest('invalid_email', 'Give a valid e-mail address.', 'email');
  }
  return value;
}

function normaliseName(name: string | undefined, email: string): string {
  const value = name?.trim() ?? '';
  if (value.length > MAX_NAME_CHARS) {
    throw badRequest(
      'invalid_display_name',
      `At most ${MAX_NAME_CHARS} characters.`,
      'displayName',
    );
  }
  return value === '' ? (email.split('@')[0] ?? email) : value;
}

/**
 * The profile of a stored user.
 * @throws Error when the stored role or platform is not one scamnet knows (a corrupted row).
 */
export function presentProfile(row: UserRow): UserProfile {
  if (!isAccountRole(row.role)) throw new Error(`user ${row.id} has an unknown role ${row.role}`);
  const platform = row.platform === null ? null : row.platform;
  if (platform !== null && !isPlatform(platform)) {
    throw new Error(`user ${row.id} has an unknown platform ${platform}`);
  }
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    entityIds: row.entityIds,
    platform,
  };
}

/** The admin view of a stored user. */
export function presentAccount(row: UserRow): UserAccount {
  return {
    ...presentProfile(row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    disabledAt: row.disabledAt,
    lastLoginAt: row.lastLoginAt,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /unique|duplicate key/i.test(error.message);
}

async function requireUser(deps: Pick<ServiceDeps, 'db'>, id: string): Promise<UserRow> {
  const row = await findUserById(deps.db, id);
  if (row === undefined) throw notFound('user_not_found', `No user ${id}.`);
  return row;
}

/**
 * Creates an account (admins only) in one transaction with its `user.created` event. The
 * password is hashed with scrypt before the transaction; when none is given a random one is
 * generated and returned once as `generatedPassword` (it is stored nowhere in clear).
 * @throws AppError 401/403 unless `actor` is an admin; 400 `invalid_email`, `weak_password`,
 *   `invalid_role`, `entity_required`, `platform_required`, `scope_mismatch`; 409 `email_taken`.
 */
export async function createUser(
  deps: ServiceDeps,
  actor: Actor,
  input: NewUserInput,
): Promise<{ user: UserAccount; generatedPassword?: string }> {
  authorize(actor, 'user.create');
  const email = normaliseEmail(input.email);
  const scope = normaliseScope(input);
  const displayName = normaliseName(input.displayName, email);
  const generated = input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? generated ?? '';
  assertPasswordAcceptable(password);
  const passwordHash = await hashPassword(password);
  const now = isoTime(deps.clock.now());
  const id = newUserId();
  try {
    await deps.db.transaction().execute(async (trx) => {
      if ((await findUserByEmail(trx, email)) !== undefined) {
        throw conflict('email_taken', 'An account with this e-mail address exists.');
      }
      await insertUser(trx, {
        id,
        email,
        displayName,
        ...scope,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      });
      await recordEvent(trx, {
        type: 'user.created',
        subjectType: 'user',
        subjectId: id,
        actor: actorLabel(actor),
        at: now,
        data: { email, displayName, ...scope, passwordGenerated: generated !== undefined },
      });
    });
  } catch (error) {
    if (!(error instanceof AppError) && isUniqueViolation(error)) {
      throw conflict('email_taken', 'An account with this e-mail address exists.');
    }
    throw error;
  }
  const user = presentAccount(await requireUser(deps, id));
  return generated === undefined ? { user } : { user, generatedPassword: generated };
}

/**
 * Every account, oldest first (admins only).
 * @throws AppError 401/403 unless `actor` is an admin.
 */
export async function listUsers(deps: ServiceDeps, actor: Actor): Promise<UserAccount[]> {
  authorize(actor, 'user.list');
  return (await listUserRows(deps.db)).map(presentAccount);
}

/**
 * One account (admins only).
 * @throws AppError 401/403 unless `actor` is an admin; 404 `user_not_found`.
 */
export async function getUser(deps: ServiceDeps, actor: Actor, id: string): Promise<UserAccount> {
  authorize(actor, 'user.read');
  return presentAccount(await requireUser(deps, id));
}

/**
 * Changes an account's display name, role, entities or platform (admins only), recorded as
 * `user.updated` with before and after. When the role changes, entities and platform not given
 * are cleared, so the result is always a consistent scope. Takes effect on the next request of
 * every open session (actors are resolved per request).
 * @throws AppError 401/403 unless `actor` is an admin; 404 `user_not_found`; 400 as createUser.
 */
export async function updateUser(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  changes: UserChanges,
): Promise<UserAccount> {
  authorize(actor, 'user.update');
  const now = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const current = await requireUser({ db: trx }, id);
    const role = changes.role ?? current.role;
    const sameRole = role === current.role;
    const scope = normaliseScope({
      role,
      entityIds: changes.entityIds ?? (sameRole ? current.entityIds : []),
      platform:
        changes.platform !== undefined ? changes.platform : sameRole ? current.platform : null,
    });
    const displayName =
      changes.displayName === undefined
        ? current.displayName
        : normaliseName(changes.displayName, current.email);
    await updateUserRow(trx, id, {
      displayName,
      role: scope.role,
      platform: scope.platform,
      updatedAt: now,
    });
    await replaceUserEntities(trx, id, scope.entityIds);
    await recordEvent(trx, {
      type: 'user.updated',
      subjectType: 'user',
      subjectId: id,
      actor: actorLabel(actor),
      at: now,
      data: {
        before: { role: current.role, entityIds: current.entityIds, platform: current.platform },
        after: scope,
        // Sealed: the log leaf carries only its digest (evidence/event-types.ts).
        displayName: { before: current.displayName, after: displayName },
      },
    });
  });
  return presentAccount(await requireUser(deps, id));
}

/**
 * Disables (every open session is revoked and sign-in refused) or re-enables an account (admins
 * only), recorded as `user.disabled` / `user.enabled`. Idempotent: no event when nothing changes.
 * @throws AppError 401/403 unless `actor` is an admin; 404 `user_not_found`.
 */
export async function setUserDisabled(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  disabled: boolean,
): Promise<UserAccount> {
  authorize(actor, 'user.disable', disabled ? 'disable users' : 'enable users');
  const now = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const current = await requireUser({ db: trx }, id);
    if ((current.disabledAt !== null) === disabled) return;
    await updateUserRow(trx, id, { disabledAt: disabled ? now : null, updatedAt: now });
    const sessionsRevoked = disabled ? await revokeUserSessions(trx, id, now) : 0;
    await recordEvent(trx, {
      type: disabled ? 'user.disabled' : 'user.enabled',
      subjectType: 'user',
      subjectId: id,
      actor: actorLabel(actor),
      at: now,
      data: disabled ? { sessionsRevoked } : {},
    });
  });
  return presentAccount(await requireUser(deps, id));
}

/**
 * Sets a new password for an account (admins only) and revokes its open sessions; without
 * `password` a random one is generated and returned once. Recorded as `user.password_reset`
 * (the event carries no password).
 * @throws AppError 401/403 unless `actor` is an admin; 404 `user_not_found`; 400 `weak_password`.
 */
export async function resetPassword(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  password?: string,
): Promise<{ user: UserAccount; generatedPassword?: string }> {
  authorize(actor, 'user.reset_password');
  const generated = password === undefined ? generatePassword() : undefined;
  const next = password ?? generated ?? '';
  assertPasswordAcceptable(next);
  const passwordHash = await hashPassword(next);
  const now = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    await requireUser({ db: trx }, id);
    await updateUserRow(trx, id, { passwordHash, updatedAt: now });
    const sessionsRevoked = await revokeUserSessions(trx, id, now);
    await recordEvent(trx, {
      type: 'user.password_reset',
      subjectType: 'user',
      subjectId: id,
      actor: actorLabel(actor),
      at: now,
      data: { sessionsRevoked, passwordGenerated: generated !== undefined },
    });
  });
  const user = presentAccount(await requireUser(deps, id));
  return generated === undefined ? { user } : { user, generatedPassword: generated };
}

/**
 * Resolves a user by ID or e-mail address (for the CLI).
 * @throws AppError 404 `user_not_found`.
 */
export async function findUserIdByIdOrEmail(deps: ServiceDeps, idOrEmail: string): Promise<string> {
  const row = idOrEmail.includes('@')
    ? await findUserByEmail(deps.db, idOrEmail.trim().toLowerCase())
    : await findUserById(deps.db, idOrEmail);
  if (row === undefined) throw notFound('user_not_found', `No user ${idOrEmail}.`);
  return row.id;
}
