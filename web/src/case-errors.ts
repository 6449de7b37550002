import type { TFunction } from 'i18next';
import { ApiError } from './api';
import { errorText } from './errors';
import { isOneOf } from './reader';

/** Server error codes of merge, split and capture that the staff panels explain in words. */
const CASE_ACTION_CODES = [
  'same_case',
  'case_empty',
  'verdict_conflict',
  'merge_direction',
  'case_has_notices',
  'report_not_in_case',
  'split_all_reports',
  'case_not_found',
] as const;

/**
 * The message for a failed merge, split or capture, in the UI language: the known conflict codes
 * in words (with the server's own sentence, which names the cases, after it), everything else as
 * errorText does (403 as "not allowed").
 */
export function caseActionError(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(t, error);
  if (isOneOf(CASE_ACTION_CODES, error.code)) {
    return t(`caseAdmin.errors.${error.code}`, { message: error.message });
  }
  if (error.status === 403) return t('errors.forbidden');
  return errorText(t, error);
}
