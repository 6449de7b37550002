import webpush from 'web-push';
import type { WebPushConfig } from '../config/index.js';
import {
  discardBody,
  guardedRequest,
  OutboundError,
  outboundPolicyOf,
  type OutboundPolicy,
} from '../evidence/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { isPushSubscription, type PushSubscriptionJson } from './subscription.js';

/** What one attempt to tell a follower came to. */
export type SendOutcome =
  /** The channel accepted the message (a push service's 2xx). */
  | { readonly kind: 'sent' }
  /** The target no longer exists (404/410 from a push service, a blocked LINE user): remove it. */
  | { readonly kind: 'gone'; readonly detail: string }
  /** Try again later. */
  | { readonly kind: 'failed'; readonly detail: string };

/** How long a push service keeps an undelivered message for an offline browser, s (RFC 8030 §5.2). */
export const WEB_PUSH_TTL_SECONDS = 4 * 24 * 3600;

/**
 * A VAPID key pair (RFC 8292 §3.2), base64url: an uncompressed P-256 public key (65 bytes) and its
 * private scalar (32 bytes), for WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY.
 */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const keys = webpush.generateVAPIDKeys();
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/**
 * Sends one Web Push message: `web-push` builds the request — the payload encrypted for the
 * subscription (RFC 8291, `aes128gcm` of RFC 8188) and signed with the VAPID key (RFC 8292, a
 * JWT whose `aud` is the endpoint's origin) — and the request goes out through the SSRF guard
 * (evidence/outbound.ts), never through web-push's own HTTP client: the endpoint is a URL the
 * browser chose.
 * @param payload the message (UTF-8 text; JSON for the service worker).
 * @returns `sent` on a 2xx; `gone` on 404/410 (RFC 8030 §7.3: the subscription expired) or when
 *   the guard refuses the endpoint (it can never be delivered); `failed` otherwise.
 */
export async function sendWebPush(
  vapid: WebPushConfig,
  policy: OutboundPolicy,
  subscription: PushSubscriptionJson,
  payload: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  let details: webpush.RequestDetails;
  try {
    details = webpush.generateRequestDetails(subscription, payload, {
      vapidDetails: vapid,
      TTL: WEB_PUSH_TTL_SECONDS,
      contentEncoding: 'aes128gcm',
      urgency: 'normal',
    });
  } catch (error) {
    // A subscription the library cannot encrypt for will never work.
    return { kind: 'gone', detail: error instanceof Error ? error.message : String(error) };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(details.headers)) headers[name] = String(value);
  try {
    const status = await guardedRequest(
      details.endpoint,
      policy,
      { method: 'POST', headers, body: details.body ?? undefined, timeoutMs },
      async (response) => {
        discardBody(response.body);
        return response.statusCode;
      },
    );
    if (status >= 200 && status < 300) return { kind: 'sent' };
    if (status === 404 || status === 410) {
      return { kind: 'gone', detail: `push service answered ${status}` };
    }
    return { kind: 'failed', detail: `push service answered ${status}` };
  } catch (error) {
    if (error instanceof OutboundError && error.refused) {
      return { kind: 'gone', detail: `endpoint refused: ${error.code}` };
    }
    return { kind: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The Web Push channel of a deployment: null when WEB_PUSH_* is not configured.
 * @returns a sender taking the stored target (the PushSubscription JSON) and the message.
 */
export function webPushChannel(
  deps: Pick<ServiceDeps, 'config'>,
): ((target: string, payload: string) => Promise<SendOutcome>) | null {
  const vapid = deps.config.webPush;
  if (vapid === null) return null;
  const policy = outboundPolicyOf(deps.config);
  const timeoutMs = deps.config.workflow.webhookTimeoutMs;
  return async (target, payload) => {
    const parsed: unknown = JSON.parse(target);
    if (!isPushSubscription(parsed)) return { kind: 'gone', detail: 'unreadable subscription' };
    return sendWebPush(vapid, policy, parsed, payload, timeoutMs);
  };
}
