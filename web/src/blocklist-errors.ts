import type { TFunction } from 'i18next';
import { ApiError, getCredential } from './http';
import { errorText } from './errors';
import { zhTW } from './i18n/zh-TW';

/**
 * A guard rule with words of its own: the keys of `blocklist.refusal` (but `other`), one per rule
 * of the server's PROTECTION_RULES (src/blocklist/protection.ts; test/blocklist/guard-messages
 * checks that every rule has them, in both languages).
 */
type RefusalRule = Exclude<keyof typeof zhTW.blocklist.refusal, 'other'>;
/** A blocklist error code with words of its own: the keys of `blocklist.errors`. */
type BlocklistErrorCode = keyof typeof zhTW.blocklist.errors;

function isRefusalRule(rule: unknown): rule is RefusalRule {
  return (
    typeof rule === 'string' && rule !== 'other' && Object.hasOwn(zhTW.blocklist.refusal, rule)
  );
}

function isBlocklistErrorCode(code: string): code is BlocklistErrorCode {
  return Object.hasOwn(zhTW.blocklist.errors, code);
}

/**
 * The message for a failed blocklist call, in the UI language. The server's sentences are
 * English; here each stable code — and, for `domain_refused`, each guard rule — has its own words
 * (what matched is the only thing taken from the answer). The blocklist routes accept only the
 * admin token so far (not web sessions): a 403 with a session says so instead of "forbidden".
 */
export function blocklistErrorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(t, error);
  if (error.status === 403 && getCredential().kind === 'session') return t('blocklist.tokenOnly');
  if (error.code === 'domain_refused' || error.code === 'invalid_domain') {
    const rule = error.code === 'invalid_domain' ? 'invalid_domain' : error.details?.rule;
    const matched = typeof error.details?.matched === 'string' ? error.details.matched : '';
    const reason = isRefusalRule(rule)
      ? t(`blocklist.refusal.${rule}`, { matched })
      : t('blocklist.refusal.other', { matched });
    return t('blocklist.refused', { message: reason });
  }
  if (isBlocklistErrorCode(error.code)) return t(`blocklist.errors.${error.code}`);
  return errorText(t, error);
}
