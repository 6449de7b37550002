import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/errors.js';
import { randomBase32, sha256Hex } from '../shared/ids.js';

/** Name of the session cookie (HttpOnly, SameSite=Strict, Path=/, Secure unless configured off). */
export const SESSION_COOKIE = 'scamnet_session';

/** Header that must repeat the session's CSRF token on cookie-authenticated unsafe requests. */
export const CSRF_HEADER = 'x-csrf-token';

/** 403 `csrf_failed`: a cookie-authenticated unsafe request without the session's CSRF token. */
export function csrfFailed(): AppError {
  return new AppError(
    403,
    'csrf_failed',
    `Send the session's CSRF token in the ${CSRF_HEADER} header.`,
  );
}

/**
 * True when the request's `x-csrf-token` header equals the session's CSRF token (constant time).
 * @param sent the header value as Node gives it.
 */
export function csrfMatches(sent: string | string[] | undefined, expected: string): boolean {
  return typeof sent === 'string' && safeEqual(sent, expected);
}

/** User ID: `U` followed by 16 Crockford base32 characters (80 random bits). */
export function newUserId(): string {
  return `U${randomBase32(16)}`;
}

/**
 * A fresh session token (32 random bytes, base64url) and its lowercase hex SHA-256, the only
 * form the store keeps: a copy of the database cannot sign anybody in.
 */
export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: sha256Hex(token) };
}

/** A CSRF token (32 random bytes, base64url), one per session. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Lowercase hex SHA-256 of a session token or API key, as stored. */
export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

/** Constant-time equality of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const KEY_ALPHABET = '0-9a-hjkmnp-tv-z';
const API_KEY_PATTERN = new RegExp(`^snk_([${KEY_ALPHABET}]{10})_([${KEY_ALPHABET}]{40})$`);

/**
 * A new API key `snk_<id>_<secret>`: `id` is 10 and `secret` 40 lowercase Crockford base32
 * characters (200 random bits). `id` is public (lists, logs, history); the key is shown once and
 * stored only as `keyHash` (SHA-256).
 */
export function newApiKey(): { id: string; key: string; keyHash: string } {
  const id = randomBase32(10).toLowerCase();
  const key = `snk_${id}_${randomBase32(40).toLowerCase()}`;
  return { id, key, keyHash: hashSecret(key) };
}

/** The public ID of an API key string, or undefined when it is not shaped like one. */
export function apiKeyIdOf(key: string): string | undefined {
  return API_KEY_PATTERN.exec(key)?.[1];
}
