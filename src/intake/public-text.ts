/**
 * Helpers of the public form of reports and cases (what public pages show of them, personal data
 * redacted: indicators/personal-data.ts, public policy). Pure.
 */
import { REDACTION_MARK_PATTERN } from '../indicators/index.js';
import { sha256Hex } from '../shared/ids.js';

/**
 * Version of the rule public forms are made with (the public policy of findPersonalData). Cases
 * whose `public_form_version` is older are made again when the store is opened
 * (refreshStalePublicForms): raise it whenever the rule changes what is redacted.
 */
export const PUBLIC_FORM_VERSION = 1;

/** Content-addressed indicator ID: the first 32 hex characters of SHA-256(`type:value`). */
export function indicatorId(type: string, value: string): string {
  return sha256Hex(`${type}:${value}`).slice(0, 32);
}

/**
 * The first `length` UTF-16 units of a public text as a summary, never ending inside a
 * redaction mark (`〔電…`): a mark cut at the end is left out whole.
 */
export function clipSummary(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  const open = cut.lastIndexOf('〔');
  if (open === -1 || cut.indexOf('〕', open) !== -1) return cut;
  const mark = text.slice(open).match(REDACTION_MARK_PATTERN_AT_START);
  return mark === null ? cut : cut.slice(0, open);
}

const REDACTION_MARK_PATTERN_AT_START = new RegExp(`^(?:${REDACTION_MARK_PATTERN.source})`);
