import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiError,
  PLATFORMS,
  REPORT_PLATFORMS,
  submitReport,
  type Platform,
  type ReportResult,
} from '../api';
import { errorText } from '../errors';

export interface ReportDraft {
  url: string;
  text: string;
  platform: Platform | '';
}

type FieldName = 'url' | 'text' | 'platform';
type FieldErrors = Partial<Record<FieldName, string>>;

function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

/** Which fields a server error is about: the field it names, else what its code implies. */
function fieldsOf(error: ApiError): FieldName[] {
  if (error.field === 'url' || error.field === 'text' || error.field === 'platform') {
    return [error.field];
  }
  if (error.code === 'invalid_url') return ['url'];
  if (error.code === 'url_or_text_required') return ['url', 'text'];
  return [];
}

/**
 * The report form (link and/or text, platform). Validation is the server's: the only client check
 * is "at least one of link or text", to save a round trip. Errors are shown beside their field and
 * linked with aria-describedby; the first invalid field gets focus.
 */
export function ReportForm({
  initial,
  onReported,
}: {
  initial?: Partial<ReportDraft>;
  onReported: (result: ReportResult) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<ReportDraft>({
    url: initial?.url ?? '',
    text: initial?.text ?? '',
    platform: initial?.platform ?? '',
  });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const ids = {
    url: `${id}-url`,
    text: `${id}-text`,
    platform: `${id}-platform`,
    note: `${id}-note`,
  };

  function focusField(field: FieldName | undefined) {
    if (field !== undefined) document.getElementById(ids[field])?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    const url = draft.url.trim();
    const text = draft.text.trim();
    if (url === '' && text === '') {
      const message = t('errors.url_or_text_required');
      setFieldErrors({ url: message, text: message });
      setFormError(null);
      focusField('url');
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
      });
      onReported(result);
    } catch (error) {
      const message = errorText(t, error);
      const fields = error instanceof ApiError ? fieldsOf(error) : [];
      if (fields.length === 0) {
        setFormError(message);
      } else {
        setFieldErrors(Object.fromEntries(fields.map((field) => [field, message])));
        focusField(fields[0]);
      }
    } finally {
      setSending(false);
    }
  }

  function describedBy(field: FieldName, hint?: string): string {
    return [hint, fieldErrors[field] !== undefined ? `${ids[field]}-error` : undefined]
      .filter((part) => part !== undefined)
      .join(' ');
  }

  function fieldError(field: FieldName) {
    const message = fieldErrors[field];
    if (message === undefined) return null;
    return (
      <p className="field__error" id={`${ids[field]}-error`}>
        {message}
      </p>
    );
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-describedby={ids.note}>
      <p className="form__note" id={ids.note}>
        {t('report.requiredNote')} {t('report.privacy')}
      </p>
      <div className="field">
        <label htmlFor={ids.url}>{t('report.urlLabel')}</label>
        <p className="field__hint" id={`${ids.url}-hint`}>
          {t('report.urlHint')}
        </p>
        <input
          id={ids.url}
          name="url"
          type="text"
          inputMode="url"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={draft.url}
          aria-invalid={fieldErrors.url !== undefined}
          aria-describedby={describedBy('url', `${ids.url}-hint`)}
          onChange={(event) => setDraft({ ...draft, url: event.target.value })}
        />
        {fieldError('url')}
      </div>
      <div className="field">
        <label htmlFor={ids.text}>{t('report.textLabel')}</label>
        <p className="field__hint" id={`${ids.text}-hint`}>
          {t('report.textHint')}
        </p>
        <textarea
          id={ids.text}
          name="text"
          rows={5}
          value={draft.text}
          aria-invalid={fieldErrors.text !== undefined}
          aria-describedby={describedBy('text', `${ids.text}-hint`)}
          onChange={(event) => setDraft({ ...draft, text: event.target.value })}
        />
        {fieldError('text')}
      </div>
      <div className="field">
        <label htmlFor={ids.platform}>
          {t('report.platformLabel')}{' '}
          <span className="field__optional">{t('common.optional')}</span>
        </label>
        <select
          id={ids.platform}
          name="platform"
          value={draft.platform}
          aria-invalid={fieldErrors.platform !== undefined}
          aria-describedby={describedBy('platform') || undefined}
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
        {fieldError('platform')}
      </div>
      {formError !== null && (
        <p className="alert alert--error" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" className="button" aria-busy={sending}>
        {sending ? t('report.submitting') : t('report.submit')}
      </button>
    </form>
  );
}
