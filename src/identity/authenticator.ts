import type { CredentialRequest, RequestAuthenticator } from '../http/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { unauthorized } from '../shared/errors.js';
import { PUBLIC_ACTOR, type Actor } from '../policy/index.js';
import { AdminTokenAuthenticator } from './admin-token.js';
import { actorOfApiKey } from './api-keys.service.js';
import { CSRF_HEADER, SESSION_COOKIE, csrfFailed, csrfMatches } from './credentials.js';
import { resolveSession, type ResolvedSession } from './sessions.service.js';

/** How a request proved who it is. */
export type Credential =
  | { readonly kind: 'none'; readonly actor: Actor }
  | { readonly kind: 'admin_token'; readonly actor: Actor }
  | { readonly kind: 'api_key'; readonly actor: Actor }
  | { readonly kind: 'session'; readonly actor: Actor; readonly session: ResolvedSession };

/** Methods that change state: a cookie alone never authorises them (CSRF). */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Resolves the credentials of an HTTP request to an Actor, for every route:
 * `Authorization: Bearer snk_…` (an API key), `Authorization: Bearer <admin token>`, or the
 * `scamnet_session` cookie of a web sign-in. Cookie-authenticated POST/PUT/PATCH/DELETE requests
 * must repeat the session's CSRF token in `x-csrf-token` (bearer requests are exempt: browsers
 * never attach them by themselves). Results are memoised per request.
 */
export class Authenticator implements RequestAuthenticator {
  readonly #deps: Pick<ServiceDeps, 'db' | 'clock'>;
  readonly #admin: AdminTokenAuthenticator;
  readonly #resolved = new WeakMap<object, Promise<Credential>>();

  /** @param adminToken the resolved admin bearer token (see resolveAdminToken). */
  constructor(deps: Pick<ServiceDeps, 'db' | 'clock'>, adminToken: string) {
    this.#deps = deps;
    this.#admin = new AdminTokenAuthenticator(adminToken);
  }

  /**
   * The actor for the admin bearer token only (no API keys, no sessions); kept for routes that
   * have not moved to actorOf.
   * @returns `{ role: 'public' }` when there is no header.
   * @throws AppError 401 `unauthorized` when the header is malformed or the token is wrong.
   */
  authenticate(header: string | undefined): Actor {
    return this.#admin.authenticate(header);
  }

  /**
   * The actor behind a request: an API key's or admin token's actor, a signed-in user's actor,
   * or `{ role: 'public' }` when the request carries no credential.
   * @throws AppError 401 `unauthorized` for a malformed, unknown, expired or revoked credential
   *   (or a disabled account); 403 `csrf_failed` for a cookie-authenticated unsafe request
   *   without the session's CSRF token.
   */
  async actorOf(request: CredentialRequest): Promise<Actor> {
    return (await this.credentialOf(request)).actor;
  }

  /**
   * Like actorOf, with how the request authenticated (the session's user and CSRF token for a
   * web sign-in). Same errors as actorOf.
   */
  credentialOf(request: CredentialRequest): Promise<Credential> {
    let pending = this.#resolved.get(request);
    if (pending === undefined) {
      pending = this.#resolve(request);
      this.#resolved.set(request, pending);
    }
    return pending;
  }

  async #resolve(request: CredentialRequest): Promise<Credential> {
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') {
      const bearer = /^Bearer\s+(snk_\S+)\s*$/i.exec(header)?.[1];
      if (bearer === undefined) {
        return { kind: 'admin_token', actor: this.#admin.authenticate(header) };
      }
      const actor = await actorOfApiKey(this.#deps, bearer);
      if (actor === undefined) throw unauthorized('Invalid or revoked API key.');
      return { kind: 'api_key', actor };
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined || token === '') return { kind: 'none', actor: PUBLIC_ACTOR };
    const session = await resolveSession(this.#deps, token);
    if (UNSAFE_METHODS.has(request.method.toUpperCase())) {
      if (!csrfMatches(request.headers[CSRF_HEADER], session.csrfToken)) throw csrfFailed();
    }
    return { kind: 'session', actor: session.actor, session };
  }
}
