import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiError,
  PLATFORMS,
  REPORT_PLATFORMS,
  SCREENSHOT_MAX_BYTES,
  SCREENSHOT_TYPES,
  submitReport,
  type Platform,
  type ReportResult,
} from '../api';
import { errorText } from '../errors';
import { ChoiceGroup, Field, fieldErrorId, InputField, TextAreaField } from './field';
import { ErrorAlert } from './error-alert';

export interface ReportDraft {
  url: string;
  text: string;
  platform: Platform | '';
  contact: string;
  consent: boolean;
}

type FieldName = 'url' | 'text' | 'platform' | 'screenshot' | 'contact' | 'consent';
type FieldErrors = Partial<Record<FieldName, string>>;

/** Server error codes this form explains in its own words (report.errors.*), by field. */
const REPORT_ERRORS = {
  invalid_contact: 'contact',
  screenshot_type: 'screenshot',
  screenshot_too_large: 'screenshot',
  too_many_files: 'screenshot',
  consent_required: 'consent',
} as const satisfies Record<string, FieldName>;
type ReportErrorCode = keyof typeof REPORT_ERRORS;

const FIELDS: readonly FieldName[] = [
  'url',
  'text',
  'platform',
  'screenshot',
  'contact',
  'consent',
];

function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

function isReportError(code: string): code is ReportErrorCode {
  return Object.hasOwn(REPORT_ERRORS, code);
}

function isField(name: string | undefined): name is FieldName {
  return (FIELDS as readonly (string | undefined)[]).includes(name);
}

/** Which fields a server error is about: the field it names, else what its code implies. */
function fieldsOf(error: ApiError): FieldName[] {
  if (isField(error.field)) return [error.field];
  if (isReportError(error.code)) return [REPORT_ERRORS[error.code]];
  if (error.code === 'invalid_url') return ['url'];
  if (error.code === 'url_or_text_required') return ['url', 'text'];
  return [];
}

/** `bytes` for people: kilobytes under one megabyte, else megabytes (binary, as file managers). */
function fileSize(bytes: number, language: string): string {
  const format = (value: number, digits: number) =>
    new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
  if (bytes < 1024 * 1024) return `${format(Math.max(1, Math.ceil(bytes / 1024)), 0)} KB`;
  const value = bytes / (1024 * 1024);
  return `${format(value, value >= 10 || Number.isInteger(value) ? 0 : 1)} MB`;
}

/**
 * The report form: link and/or text, platform, an optional screenshot (PNG, JPEG or WebP), an
 * optional contact for follow-up, and consent. The consent statement is always shown; ticking it
 * is required only when a contact or a screenshot is given (what the server requires too): a
 * plain report holds nothing about the reporter, so it asks for no consent.
 *
 * Validation is the server's; the client only checks "at least one of link or text", the
 * screenshot's type and size, and the consent rule, to save a round trip. Errors are shown beside
 * their field and linked with aria-describedby; the first invalid field gets focus.
 */
export function ReportForm({
  initial,
  onReported,
}: {
  initial?: Partial<ReportDraft>;
  onReported: (result: ReportResult) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<ReportDraft>({
    url: initial?.url ?? '',
    text: initial?.text ?? '',
    platform: initial?.platform ?? '',
    contact: initial?.contact ?? '',
    consent: initial?.consent ?? false,
  });
  const [screenshot, setScreenshot] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const maxSize = fileSize(SCREENSHOT_MAX_BYTES, i18n.language);

  const ids: Record<FieldName | 'note' | 'consentGroup', string> = {
    url: `${id}-url`,
    text: `${id}-text`,
    platform: `${id}-platform`,
    screenshot: `${id}-screenshot`,
    contact: `${id}-contact`,
    consent: `${id}-consent`,
    note: `${id}-note`,
    consentGroup: `${id}-consent-group`,
  };

  function focusField(field: FieldName | undefined) {
    if (field !== undefined) document.getElementById(ids[field])?.focus();
  }

  function showErrors(errors: FieldErrors) {
    setFieldErrors(errors);
    setFormError(null);
    focusField(FIELDS.find((field) => errors[field] !== undefined));
  }

  /** The message of a report error code, with the server's own limit when it sent one. */
  function reportErrorText(code: ReportErrorCode, maxBytes?: number): string {
    return t(`report.errors.${code}`, {
      max: maxBytes === undefined ? maxSize : fileSize(maxBytes, i18n.language),
    });
  }

  function onScreenshotChange(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0] ?? null;
    const rest = { ...fieldErrors };
    delete rest.screenshot;
    if (file === null) {
      setScreenshot(null);
      setFieldErrors(rest);
      return;
    }
    const problem = !(SCREENSHOT_TYPES as readonly string[]).includes(file.type)
      ? reportErrorText('screenshot_type')
      : file.size > SCREENSHOT_MAX_BYTES
        ? reportErrorText('screenshot_too_large')
        : undefined;
    if (problem !== undefined) {
      // The refused file is not kept: the input is emptied so what is sent is what is shown.
      event.target.value = '';
      setScreenshot(null);
      setFieldErrors({ ...rest, screenshot: problem });
      return;
    }
    setScreenshot(file);
    setFieldErrors(rest);
  }

  function removeScreenshot() {
    if (fileInput.current !== null) fileInput.current.value = '';
    setScreenshot(null);
    fileInput.current?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    const url = draft.url.trim();
    const text = draft.text.trim();
    const contact = draft.contact.trim();
    const errors: FieldErrors = {};
    if (url === '' && text === '') {
      errors.url = errors.text = t('errors.url_or_text_required');
    }
    if ((contact !== '' || screenshot !== null) && !draft.consent) {
      errors.consent = reportErrorText('consent_required');
    }
    if (Object.keys(errors).length > 0) {
      showErrors(errors);
      return;
    }
    setSending(true);
    setFieldErrors({});
    setFormError(null);
    try {
      const result = await submitReport({
        ...(url !== '' && { url }),
        ...(text !== '' && { text }),
        ...(draft.platform !== '' && { platform: draft.platform }),
        ...(contact !== '' && { contact }),
        ...((contact !== '' || screenshot !== null) && { consent: draft.consent }),
        ...(screenshot !== null && { screenshot }),
      });
      onReported(result);
    } catch (error) {
      const fields = error instanceof ApiError ? fieldsOf(error) : [];
      const maxBytes = error instanceof ApiError ? error.details?.maxBytes : undefined;
      const message =
        error instanceof ApiError && isReportError(error.code)
          ? reportErrorText(error.code, typeof maxBytes === 'number' ? maxBytes : undefined)
          : errorText(t, error);
      if (fields.length === 0) {
        setFormError(message);
      } else {
        showErrors(Object.fromEntries(fields.map((field) => [field, message])));
      }
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-describedby={ids.note}>
      <p className="form__note" id={ids.note}>
        {t('report.requiredNote')} {t('report.privacy')}
      </p>
      <InputField
        id={ids.url}
        label={t('report.urlLabel')}
        hint={t('report.urlHint')}
        error={fieldErrors.url}
        name="url"
        inputMode="url"
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        value={draft.url}
        onChange={(url) => setDraft({ ...draft, url })}
      />
      <TextAreaField
        id={ids.text}
        label={t('report.textLabel')}
        hint={t('report.textHint')}
        error={fieldErrors.text}
        name="text"
        rows={5}
        value={draft.text}
        onChange={(text) => setDraft({ ...draft, text })}
      />
      <Field
        id={ids.platform}
        label={t('report.platformLabel')}
        optional
        error={fieldErrors.platform}
      >
        {(control) => (
          <select
            {...control}
            name="platform"
            value={draft.platform}
            onChange={(event) => {
              const value = event.target.value;
              setDraft({ ...draft, platform: isPlatform(value) ? value : '' });
            }}
          >
            <option value="">{t('report.platformUnknown')}</option>
            {REPORT_PLATFORMS.map((platform) => (
              <option key={platform} value={platform}>
                {t(`platform.${platform}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={ids.screenshot}
        label={t('report.screenshotLabel')}
        optional
        hint={t('report.screenshotHint', { max: maxSize })}
        error={fieldErrors.screenshot}
      >
        {(control) => (
          <>
            <input
              {...control}
              ref={fileInput}
              name="screenshot"
              type="file"
              accept={SCREENSHOT_TYPES.join(',')}
              onChange={onScreenshotChange}
            />
            {screenshot !== null && (
              <div className="field__row">
                <p className="field__hint" aria-live="polite">
                  {t('report.screenshotChosen', {
                    name: screenshot.name,
                    size: fileSize(screenshot.size, i18n.language),
                  })}
                </p>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={removeScreenshot}
                >
                  {t('report.screenshotRemove')}
                </button>
              </div>
            )}
          </>
        )}
      </Field>
      <InputField
        id={ids.contact}
        label={t('report.contactLabel')}
        optional
        hint={t('report.contactHint')}
        error={fieldErrors.contact}
        name="contact"
        autoCapitalize="off"
        spellCheck={false}
        maxLength={254}
        value={draft.contact}
        onChange={(contact) => setDraft({ ...draft, contact })}
      />
      <ChoiceGroup
        id={ids.consentGroup}
        className="choices"
        legend={t('report.consentLegend')}
        hint={t('report.consentText')}
        error={fieldErrors.consent}
      >
        <label className="choice" htmlFor={ids.consent}>
          <input
            id={ids.consent}
            name="consent"
            type="checkbox"
            checked={draft.consent}
            aria-invalid={fieldErrors.consent !== undefined}
            aria-describedby={
              fieldErrors.consent === undefined
                ? `${ids.consent}-hint`
                : `${ids.consent}-hint ${fieldErrorId(ids.consentGroup)}`
            }
            onChange={(event) => setDraft({ ...draft, consent: event.target.checked })}
          />
          {t('report.consentLabel')}
        </label>
        <p className="field__hint" id={`${ids.consent}-hint`}>
          {t('report.consentHint')}
        </p>
      </ChoiceGroup>
      <ErrorAlert message={formError} />
      <button type="submit" className="button" aria-busy={sending}>
        {sending ? t('report.submitting') : t('report.submit')}
      </button>
    </form>
  );
}
