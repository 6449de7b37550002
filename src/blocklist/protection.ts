import { DEFAULT_PROTECTED_DOMAINS, matchKey, platformOf } from '../indicators/index.js';

/**
 * Why a domain must never be treated as a scam site as a whole (blocked, or matched for every URL
 * under it), or `null` when it may be: a platform that carries everyone's content (facebook.com,
 * line.me, …), a link shortener (bit.ly, reurl.cc, …), or a protected domain — the shipped
 * government, bank and brand list, or anything under one of them (any `*.gov.tw`).
 * @param domain lower-case ASCII host or registrable domain.
 */
export function siteWideRefusal(
  domain: string,
  protectedDomains: readonly string[] = DEFAULT_PROTECTED_DOMAINS,
): 'platform' | 'shortener' | 'protected' | null {
  const host = domain.toLowerCase().replace(/\.$/, '');
  const url = `http://${host}/`;
  if (platformOf(url) !== 'website') return 'platform';
  if (matchKey(url)?.shortener === true) return 'shortener';
  if (protectedDomains.some((p) => host === p || host.endsWith(`.${p}`))) return 'protected';
  return null;
}
