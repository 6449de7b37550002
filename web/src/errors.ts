import type { TFunction } from 'i18next';
import { ApiError } from './api';
import { isOneOf } from './reader';

const KNOWN_CODES = [
  'invalid_json',
  'validation_failed',
  'url_or_text_required',
  'invalid_url',
  'body_too_large',
  'unsupported_media_type',
  'case_not_found',
  'unauthorized',
  'forbidden',
  'csrf_failed',
  'illegal_transition',
  'invalid_credentials',
  'invalid_indicator',
  'query_too_long',
  'headers_too_large',
  'network_error',
  'unexpected_response',
] as const;

/**
 * The message to show a person for a failed request, in the UI language. Known server codes are
 * translated; 5xx messages are never shown (they may be internal); other 4xx fall back to the
 * server's own message.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.generic', { code: 'client' });
  if (isOneOf(KNOWN_CODES, error.code)) return t(`errors.${error.code}`);
  if (error.status === 429) return t('errors.rate_limited');
  if (error.status >= 500) return t('errors.server');
  if (error.status >= 400 && error.message !== '') return error.message;
  return t('errors.generic', { code: error.code });
}

/**
 * A failed request's message where a form shows it: beside the field `field` when the server
 * names that field (`{ [field]: message }`), else as the form's error (`{ form: message }`).
 */
export function fieldOrFormError<F extends string>(
  t: TFunction,
  error: unknown,
  field: F,
): Partial<Record<F | 'form', string>> {
  const message = errorText(t, error);
  const shownAt: F | 'form' = error instanceof ApiError && error.field === field ? field : 'form';
  const errors: Partial<Record<F | 'form', string>> = {};
  errors[shownAt] = message;
  return errors;
}
