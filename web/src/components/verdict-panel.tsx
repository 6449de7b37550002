import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, DECIDED_VERDICTS, type CasePublic, type DecidedVerdict } from '../api';
import { setVerdict } from '../api-workflow';
import { errorText } from '../errors';
import { toLanguage } from '../i18n';
import { RadioGroup, TextAreaField } from './field';
import { ErrorAlert } from './error-alert';

/**
 * Staff panel "set or override the verdict", shown only to a signed-in analyst or admin (the
 * server refuses everyone else). The request carries the caller's session (with its CSRF token)
 * or the admin token they signed in with.
 */
export function VerdictPanel({
  caseId,
  current,
  onSaved,
}: {
  caseId: string;
  current: CasePublic['verdict'];
  onSaved: (updated: CasePublic) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [verdict, setVerdictChoice] = useState<DecidedVerdict | ''>(
    current === 'undecided' ? '' : current,
  );
  const [note, setNote] = useState('');
  const [verdictError, setVerdictError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<CasePublic | null>(null);
  const [saving, setSaving] = useState(false);
  const firstRadio = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setSaved(null);
    setFormError(null);
    if (verdict === '') {
      setVerdictError(t('verdictPanel.verdictRequired'));
      firstRadio.current?.focus();
      return;
    }
    setVerdictError(null);
    setSaving(true);
    try {
      const updated = await setVerdict(caseId, verdict, note);
      setNote('');
      setSaved(updated);
      onSaved(updated);
    } catch (error) {
      setFormError(
        error instanceof ApiError && error.status === 403
          ? t('errors.forbidden')
          : errorText(t, error),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="panel panel--staff" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('verdictPanel.heading')}</h2>
      <p className="field__hint">{t('verdictPanel.intro')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <RadioGroup
          legend={t('verdictPanel.legend')}
          error={verdictError}
          values={DECIDED_VERDICTS}
          value={verdict}
          text={(value) => t(`verdict.${value}`)}
          onChange={setVerdictChoice}
          firstRef={firstRadio}
        />
        <TextAreaField
          label={t('verdictPanel.noteLabel')}
          name="note"
          rows={3}
          value={note}
          onChange={setNote}
        />
        <ErrorAlert message={formError} />
        <button type="submit" className="button" aria-busy={saving}>
          {saving ? t('common.saving') : t('verdictPanel.submit')}
        </button>
        <p role="status" className="panel__status" data-testid="verdict-status">
          {saved !== null &&
            t('verdictPanel.saved', {
              label: t(`status.${saved.status}`, {
                defaultValue: saved.label[toLanguage(i18n.language)],
              }),
            })}
        </p>
      </form>
    </section>
  );
}
