import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, unauthorized } from '../shared/errors.js';
import type { Actor } from '../policy/index.js';
import { hashSecret, newCsrfToken, newSessionToken } from './credentials.js';
import {
  findSession,
  findUserByEmail,
  findUserById,
  insertSession,
  revokeSession,
  revokeUserSessions,
  updateUserRow,
} from './identity.repo.js';
import {
  assertPasswordAcceptable,
  decoyPasswordHash,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  verifyPassword,
  withPasswordHashing,
} from './password.js';
import { actorFor } from './scope.js';
import { presentProfile, type UserProfile } from './users.service.js';

import { recordEvent } from '../log/index.js';
/** A web session as the authenticator resolves it from the cookie. */
export interface ResolvedSession {
  actor: Actor;
  user: UserProfile;
  csrfToken: string;
  tokenHash: string;
  expiresAt: string;
}

/** 401 `invalid_credentials`: the same for an unknown address, a wrong password or a disabled account. */
function invalidCredentials(): AppError {
  return new AppError(401, 'invalid_credentials', 'Wrong e-mail address or password.');
}

/**
 * Signs a person in with e-mail and password and opens a session lasting
 * `config.sessionTtlHours` from now. An unknown address costs the same scrypt work as a wrong
 * password, and gets the same answer.
 * @returns the session token for the cookie (stored only as its SHA-256), the session's CSRF
 *   token, the user's profile and the expiry (ISO 8601 UTC).
 * At most `config.passwordHashing` checks run or wait at once (withPasswordHashing).
 * @throws AppError 401 `invalid_credentials`; 503 `busy` when too many sign-ins wait.
 */
export async function signIn(
  deps: ServiceDeps,
  input: { email: string; password: string },
): Promise<{ token: string; csrfToken: string; user: UserProfile; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const row = email.length > 254 ? undefined : await findUserByEmail(deps.db, email);
  const password = input.password.length > MAX_PASSWORD_LENGTH ? '' : input.password;
  const stored = row?.passwordHash ?? (await decoyPasswordHash());
  const matches = await withPasswordHashing(deps.config.passwordHashing, () =>
    verifyPassword(password, stored),
  );
  if (row === undefined || !matches || row.disabledAt !== null || password === '') {
    throw invalidCredentials();
  }
  const user = presentProfile(row);
  const { token, tokenHash } = newSessionToken();
  const csrfToken = newCsrfToken();
  const nowMs = deps.clock.now();
  const now = isoTime(nowMs);
  const expiresAt = isoTime(nowMs + deps.config.sessionTtlHours * 3_600_000);
  await deps.db.transaction().execute(async (trx) => {
    await insertSession(trx, { tokenHash, userId: row.id, csrfToken, createdAt: now, expiresAt });
    await updateUserRow(trx, row.id, { lastLoginAt: now });
  });
  return { token, csrfToken, user, expiresAt };
}

/**
 * The session a cookie's token opens.
 * @throws AppError 401 `unauthorized` when the session is unknown, expired (by the injected
 *   clock), revoked, or its account is disabled.
 */
export async function resolveSession(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  token: string,
): Promise<ResolvedSession> {
  const tokenHash = hashSecret(token);
  const session = await findSession(deps.db, tokenHash);
  if (session === undefined || session.revokedAt !== null) {
    throw unauthorized('The session is not valid: sign in again.');
  }
  if (session.expiresAt <= isoTime(deps.clock.now())) {
    throw unauthorized('The session has expired: sign in again.');
  }
  const row = await findUserById(deps.db, session.userId);
  if (row === undefined || row.disabledAt !== null) {
    throw unauthorized('The account is disabled.');
  }
  const actor = actorFor(`user:${row.id}`, row.role, row.entityIds, row.platform);
  if (actor === undefined) throw unauthorized('The account has no valid role.');
  return {
    actor,
    user: presentProfile(row),
    csrfToken: session.csrfToken,
    tokenHash,
    expiresAt: session.expiresAt,
  };
}

/** Ends a session (idempotent). `token` is the cookie's value. */
export async function signOut(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  token: string,
): Promise<void> {
  await revokeSession(deps.db, hashSecret(token), isoTime(deps.clock.now()));
}

/**
 * A signed-in person changes their own password: the current one must match, the new one must
 * be acceptable; every other session of the account ends (this one stays). Recorded as
 * `user.password_changed` (no password in the event).
 * @throws AppError 401 `invalid_credentials` when `currentPassword` is wrong; 400 `weak_password`.
 */
export async function changeOwnPassword(
  deps: ServiceDeps,
  session: ResolvedSession,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  assertPasswordAcceptable(input.newPassword);
  const row = await findUserById(deps.db, session.user.id);
  if (row === undefined || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    throw invalidCredentials();
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    await updateUserRow(trx, row.id, { passwordHash, updatedAt: now });
    const sessionsRevoked = await revokeUserSessions(trx, row.id, now, session.tokenHash);
    await recordEvent(trx, {
      type: 'user.password_changed',
      subjectType: 'user',
      subjectId: row.id,
      actor: `user:${row.id}`,
      at: now,
      data: { sessionsRevoked },
    });
  });
}
