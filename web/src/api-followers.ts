/**
 * Following a case with this browser (issue 15): the site's VAPID key, following with a Web Push
 * subscription, and stopping with the token following gave back. All public (no account).
 */
import { ApiError, isObject, request, unexpected } from './http';

/** The site's VAPID public key (base64url), or null when Web Push is not configured. */
export async function fetchVapidPublicKey(): Promise<string | null> {
  const body = await request('/api/v1/push/vapid-public-key', { access: 'public' });
  if (!isObject(body)) throw unexpected('vapid key');
  if (body.publicKey === null) return null;
  if (typeof body.publicKey !== 'string') throw unexpected('vapid key');
  return body.publicKey;
}

/**
 * Makes this browser's push subscription a follower of case `caseId`, told in `language`.
 * @returns the token that stops following (keep it; it is not shown again).
 */
export async function followCase(
  caseId: string,
  subscription: PushSubscriptionJSON,
  language: 'zh-TW' | 'en',
): Promise<string> {
  const body = await request(`/api/v1/cases/${encodeURIComponent(caseId)}/followers`, {
    method: 'POST',
    access: 'public',
    body: {
      subscription: {
        endpoint: subscription.endpoint,
        expirationTime: subscription.expirationTime ?? null,
        keys: subscription.keys,
      },
      language,
    },
  });
  if (!isObject(body) || typeof body.unsubscribeToken !== 'string') throw unexpected('follow');
  return body.unsubscribeToken;
}

/** Stops following (the token from followCase); a token already used counts as stopped. */
export async function unfollowCase(token: string): Promise<void> {
  try {
    await request(`/api/v1/followers/${encodeURIComponent(token)}`, {
      method: 'DELETE',
      access: 'public',
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'follower_not_found') return;
    throw error;
  }
}
