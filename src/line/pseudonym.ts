import { createHmac } from 'node:crypto';

/** Label of the key derivation: changing it changes every pseudonym. */
const PSEUDONYM_KEY_LABEL = 'scamnet/line/reporter-pseudonym/v1';

/**
 * The pseudonymous reporter ID of LINE user `userId`: HMAC-SHA256 (RFC 2104) of the user ID under
 * a key derived from the channel secret (HMAC-SHA256 of PSEUDONYM_KEY_LABEL under the secret), as
 * 64 hex digits. The channel secret is the one secret every node of a LINE bot already shares
 * (each node checks LINE's signatures with it), so no new shared secret is needed, and the hash
 * cannot be reversed or recomputed by anyone who has only the database. Issuing a new channel
 * secret in the LINE console changes every pseudonym (see README "LINE bot"). Pure.
 */
export function linePseudonym(channelSecret: string, userId: string): string {
  const key = createHmac('sha256', channelSecret).update(PSEUDONYM_KEY_LABEL, 'utf8').digest();
  return createHmac('sha256', key).update(userId, 'utf8').digest('hex');
}
