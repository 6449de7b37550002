/**
 * The one way the web UI talks to `/api/v1`: JSON in and out, the caller's credential attached,
 * error bodies (`{ "error": { "code", "message", "details"? } }`) turned into `ApiError`s.
 *
 * Credentials: a web sign-in (the HttpOnly `scamnet_session` cookie, which the browser attaches
 * itself, plus the session's CSRF token, which this module repeats in `x-csrf-token` on every
 * POST/PUT/PATCH/DELETE) or the bootstrap admin token (sent as `Authorization: Bearer`, kept in
 * sessionStorage by the session module). The server stays the authority on every permission.
 */

/** A request that failed: an error body from the server, a network failure or an unexpected reply. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** Stable server error code (`case_not_found`, `invalid_url`, …) or a client-side code. */
  readonly code: string;
  /** The request field the error is about, when the server names one. */
  readonly field: string | undefined;
  /** The error's other details as the server sent them (e.g. `maxBytes`), or undefined. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    field?: string,
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function unexpected(what: string): ApiError {
  return new ApiError(0, 'unexpected_response', `Unexpected response from the server (${what})`);
}

/** What the UI currently authenticates with. */
export type Credential =
  { kind: 'none' } | { kind: 'session'; csrfToken: string } | { kind: 'token'; token: string };

let credential: Credential = { kind: 'none' };
const lostListeners = new Set<() => void>();

/** Sets the credential every following request uses (the session module calls this). */
export function setCredential(next: Credential): void {
  credential = next;
}

export function getCredential(): Credential {
  return credential;
}

/**
 * Calls `listener` when the server rejects the credential (401: the session expired or was
 * ended elsewhere, the token was changed). @returns a function that removes the listener.
 */
export function onCredentialLost(listener: () => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

function credentialLost(): void {
  if (credential.kind === 'none') return;
  credential = { kind: 'none' };
  for (const listener of lostListeners) listener();
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall through to the generic error below.
  }
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  if (error !== undefined && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : error.code;
    const details = isObject(error.details) ? error.details : undefined;
    const field =
      typeof details?.field === 'string'
        ? details.field
        : typeof error.field === 'string'
          ? error.field
          : undefined;
    return new ApiError(response.status, error.code, message, field, details);
  }
  return new ApiError(response.status, 'http_error', `HTTP ${response.status}`);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON; a FormData is sent as multipart/form-data (the browser sets the boundary). */
  body?: unknown;
  signal?: AbortSignal | undefined;
  /**
   * `public`: an action anyone may take (lookup, report, case page). The admin token is not sent;
   * a 401 can only mean a stale session cookie, so the cookie is cleared and the request retried
   * once as the public. `signed-in` (default): the caller's credential is required; a 401 means
   * it is gone and the session module is told.
   */
  access?: 'public' | 'signed-in';
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers = new Headers({ Accept: 'application/json' });
  const form = options.body instanceof FormData ? options.body : undefined;
  if (options.body !== undefined && form === undefined) {
    headers.set('Content-Type', 'application/json');
  }
  if (credential.kind === 'token' && options.access !== 'public') {
    headers.set('Authorization', `Bearer ${credential.token}`);
  }
  if (credential.kind === 'session' && UNSAFE.has(method)) {
    headers.set('x-csrf-token', credential.csrfToken);
  }
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      signal: options.signal ?? null,
      ...(options.body !== undefined && { body: form ?? JSON.stringify(options.body) }),
    });
  } catch (cause) {
    if (options.signal?.aborted === true) throw cause;
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
}

/** Ends whatever session the cookie holds (the server always clears the cookie). */
export async function clearSessionCookie(): Promise<void> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (credential.kind === 'session') headers['x-csrf-token'] = credential.csrfToken;
  try {
    await fetch('/api/v1/auth/logout', { method: 'POST', headers, credentials: 'same-origin' });
  } catch {
    // Offline: the cookie stays; the next request will try again.
  }
}

/** Asks the server for the session's CSRF token (after a reload the page no longer has it). */
async function refreshCsrfToken(): Promise<boolean> {
  try {
    const response = await fetch('/api/v1/auth/me', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    if (isObject(body) && typeof body.csrfToken === 'string') {
      credential = { kind: 'session', csrfToken: body.csrfToken };
      return true;
    }
  } catch {
    // fall through
  }
  return false;
}

/**
 * Sends one API request and returns its JSON body (`null` for 204).
 * @throws ApiError for every failure (with the server's code and field when it sent one).
 */
export async function request(path: string, options: RequestOptions = {}): Promise<unknown> {
  let response = await send(path, options);
  if (options.access === 'public') {
    if (response.status === 401) {
      // An expired or revoked session cookie makes even public routes answer 401.
      await clearSessionCookie();
      credentialLost();
      response = await send(path, options);
    } else if (response.status === 403 && credential.kind !== 'session') {
      // A live cookie this page has no CSRF token for (e.g. signed in in another tab).
      const error = await errorFrom(response.clone());
      if (error.code === 'csrf_failed' && (await refreshCsrfToken())) {
        response = await send(path, options);
      }
    }
  } else if (response.status === 401 && credential.kind !== 'none') {
    credentialLost();
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch {
    throw unexpected('not JSON');
  }
}

/**
 * Downloads a binary resource (an evidence or report screenshot) with the caller's credential
 * (the admin token as `Authorization: Bearer`, or the session cookie; a GET needs no CSRF token):
 * the admin token cannot ride on a plain `<img src>`. The Blob keeps the server's Content-Type; show
 * it through `URL.createObjectURL` (the page's CSP allows `blob:` images) and revoke the URL
 * when done. @throws ApiError as request does (a 401 also tells the session module).
 */
export async function fetchBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const headers = new Headers();
  if (credential.kind === 'token') headers.set('Authorization', `Bearer ${credential.token}`);
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: 'same-origin', signal: signal ?? null });
  } catch (cause) {
    if (signal?.aborted === true) throw cause;
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
  if (response.status === 401) credentialLost();
  if (!response.ok) throw await errorFrom(response);
  return response.blob();
}

/**
 * Downloads a PNG (an evidence capture's screenshot) with the caller's credential, as a `data:`
 * URL (see fetchBlob). @throws ApiError as request does.
 */
export async function fetchDataUrl(path: string, signal?: AbortSignal): Promise<string> {
  const blob = await fetchBlob(path, signal);
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === 'string' ? resolve(reader.result) : reject(unexpected('image'));
    reader.onerror = () => reject(unexpected('image'));
    reader.readAsDataURL(new Blob([blob], { type: 'image/png' }));
  });
}
