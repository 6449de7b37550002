/** Sign-in, sign-out and "who am I" (`/api/v1/auth/…`). */
import { PLATFORMS, type Platform } from './api';
import { ROLES, type Role } from '../../src/vocabulary/index.js';
import { request } from './http';
import { Reader } from './reader';

export { ROLES, type Role } from '../../src/vocabulary/index.js';

/** Roles an account or API key can have (everyone else is the public). */
export const ACCOUNT_ROLES = ROLES.filter(
  (role): role is Exclude<Role, 'public'> => role !== 'public',
);
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Who the UI is signed in as. */
export interface Me {
  role: Role;
  id: string;
  /** Null when signed in with the admin token (no account). */
  email: string | null;
  displayName: string | null;
  entityIds: string[];
  platform: Platform | null;
  via: 'session' | 'admin_token' | 'api_key';
}

function readProfile(r: Reader): Omit<Me, 'via'> {
  return {
    role: r.oneOf('role', ROLES),
    id: r.str('id'),
    email: r.nstr('email'),
    displayName: r.nstr('displayName'),
    entityIds: r.strs('entityIds'),
    platform: r.oneOfOr('platform', PLATFORMS, null),
  };
}

/**
 * Signs in with e-mail and password; the server sets the session cookie.
 * @returns the person and the session's CSRF token. @throws ApiError `invalid_credentials`,
 *   `rate_limited`.
 */
export async function login(
  email: string,
  password: string,
): Promise<{ me: Me; csrfToken: string }> {
  const body = new Reader(
    await request('/api/v1/auth/login', { method: 'POST', body: { email, password } }),
    'login',
  );
  return {
    me: { ...readProfile(body.obj('user')), via: 'session' },
    csrfToken: body.str('csrfToken'),
  };
}

/** Who the current credential is. @throws ApiError 401 `unauthorized` when there is none. */
export async function getMe(): Promise<{ me: Me; csrfToken: string | null }> {
  const body = new Reader(await request('/api/v1/auth/me'), 'me');
  const actor = body.obj('actor');
  const user = body.nobj('user');
  const via = body.oneOf('via', ['session', 'admin_token', 'api_key'] as const);
  const me: Me =
    user === null
      ? {
          role: actor.oneOf('role', ROLES),
          id: actor.str('id'),
          email: null,
          displayName: null,
          entityIds: actor.strs('entityIds'),
          platform: actor.oneOfOr('platform', PLATFORMS, null),
          via,
        }
      : { ...readProfile(user), via };
  return { me, csrfToken: body.nstr('csrfToken') };
}

/** Ends the web session (the CSRF token is attached by the request module). */
export async function logout(): Promise<void> {
  await request('/api/v1/auth/logout', { method: 'POST' });
}
