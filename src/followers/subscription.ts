import { badRequest } from '../shared/errors.js';

/** A browser's PushSubscription as `PushSubscription.toJSON()` gives it (W3C Push API). */
export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Longest endpoint URL accepted, characters (real push services use well under 1 000). */
export const MAX_ENDPOINT_LENGTH = 2048;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decodedLength(value: string): number {
  return BASE64URL.test(value) ? Buffer.from(value, 'base64url').length : -1;
}

/**
 * Checks a push subscription at the edge: the endpoint an absolute https URL (http only when
 * `allowInsecure`, i.e. tests that push to a loopback service), without credentials, at most
 * MAX_ENDPOINT_LENGTH; `p256dh` an uncompressed P-256 point (65 bytes, 0x04 first) and `auth` a
 * 16-byte secret, both base64url (RFC 8291 §3). Where the endpoint may be reached is the
 * outbound guard's decision (evidence/outbound.ts), checked by the caller.
 * @returns the subscription with only these fields (anything else the browser sent is dropped).
 * @throws AppError 400 `invalid_subscription` naming what is wrong.
 */
export function validateSubscription(
  subscription: PushSubscriptionJson,
  allowInsecure: boolean,
): PushSubscriptionJson {
  const invalid = (message: string, field: string) =>
    badRequest('invalid_subscription', message, field);
  const { endpoint, keys } = subscription;
  if (endpoint.length > MAX_ENDPOINT_LENGTH) {
    throw invalid(`The endpoint is longer than ${MAX_ENDPOINT_LENGTH} characters.`, 'endpoint');
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalid('The endpoint is not an absolute URL.', 'endpoint');
  }
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:')) {
    throw invalid('The endpoint must be an https URL.', 'endpoint');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('The endpoint must not carry credentials.', 'endpoint');
  }
  const p256dh = Buffer.from(keys.p256dh, 'base64url');
  if (decodedLength(keys.p256dh) !== 65 || p256dh[0] !== 0x04) {
    throw invalid('keys.p256dh must be an uncompressed P-256 point, base64url.', 'keys.p256dh');
  }
  if (decodedLength(keys.auth) !== 16) {
    throw invalid('keys.auth must be 16 bytes, base64url.', 'keys.auth');
  }
  return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}

/** Type guard for a stored subscription (followers.repo `target` of a `web_push` follower). */
export function isPushSubscription(value: unknown): value is PushSubscriptionJson {
  if (typeof value !== 'object' || value === null) return false;
  if (!('endpoint' in value) || typeof value.endpoint !== 'string') return false;
  if (!('keys' in value) || typeof value.keys !== 'object' || value.keys === null) return false;
  const { keys } = value;
  return (
    'p256dh' in keys &&
    typeof keys.p256dh === 'string' &&
    'auth' in keys &&
    typeof keys.auth === 'string'
  );
}
