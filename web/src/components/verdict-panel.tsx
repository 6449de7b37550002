import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, DECISIONS, setVerdict, type CasePublic, type Decision } from '../api';
import { errorText } from '../errors';
import { toLanguage } from '../i18n';

const TOKEN_KEY = 'scamnet.adminToken';

function readToken(): string {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeToken(token: string): void {
  try {
    if (token === '') window.sessionStorage.removeItem(TOKEN_KEY);
    else window.sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // storage disabled: the token lives only in this page's memory
  }
}

type FieldName = 'token' | 'verdict' | 'note';

/**
 * Staff panel "Analyst: set verdict". The admin token is kept in sessionStorage only (gone when the
 * tab closes, never in localStorage or a cookie) and sent as a Bearer token. Until full roles
 * exist (issue 9) this is the whole staff UI; the server decides whether the token is valid.
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
  const [token, setToken] = useState(readToken);
  const [verdict, setVerdictChoice] = useState<Decision | ''>(
    current === 'undecided' ? '' : current,
  );
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<CasePublic | null>(null);
  const [saving, setSaving] = useState(false);

  const ids = { token: `${id}-token`, verdict: `${id}-verdict`, note: `${id}-note` };

  function focusField(field: FieldName) {
    const target =
      field === 'verdict'
        ? document.querySelector<HTMLInputElement>(`input[name="${ids.verdict}"]`)
        : document.getElementById(ids[field]);
    target?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setSaved(null);
    setFormError(null);
    const problems: Partial<Record<FieldName, string>> = {};
    if (token.trim() === '') problems.token = t('verdictPanel.tokenRequired');
    if (verdict === '') problems.verdict = t('verdictPanel.verdictRequired');
    setErrors(problems);
    if (problems.token !== undefined) return focusField('token');
    if (verdict === '') return focusField('verdict');

    setSaving(true);
    try {
      const updated = await setVerdict(caseId, token.trim(), verdict, note);
      setNote('');
      setSaved(updated);
      onSaved(updated);
    } catch (error) {
      const message = errorText(t, error);
      const field: FieldName | undefined =
        error instanceof ApiError
          ? error.code === 'unauthorized'
            ? 'token'
            : error.field === 'verdict' || error.field === 'note'
              ? error.field
              : undefined
          : undefined;
      if (field === undefined) {
        setFormError(message);
      } else {
        setErrors({ [field]: message });
        focusField(field);
      }
    } finally {
      setSaving(false);
    }
  }

  function describedBy(field: FieldName, extra?: string): string | undefined {
    const parts = [extra, errors[field] !== undefined ? `${ids[field]}-error` : undefined].filter(
      (part) => part !== undefined,
    );
    return parts.length === 0 ? undefined : parts.join(' ');
  }

  function fieldError(field: FieldName) {
    const message = errors[field];
    if (message === undefined) return null;
    return (
      <p className="field__error" id={`${ids[field]}-error`}>
        {message}
      </p>
    );
  }

  return (
    <section className="panel panel--staff" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('verdictPanel.heading')}</h2>
      <p className="field__hint" id={`${id}-intro`}>
        {t('verdictPanel.intro')}
      </p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={ids.token}>{t('verdictPanel.tokenLabel')}</label>
          <div className="field__row">
            <input
              id={ids.token}
              name="token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={token}
              aria-invalid={errors.token !== undefined}
              aria-describedby={describedBy('token', `${id}-intro`)}
              onChange={(event) => {
                setToken(event.target.value);
                storeToken(event.target.value.trim());
              }}
            />
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setToken('');
                storeToken('');
              }}
            >
              {t('verdictPanel.forget')}
            </button>
          </div>
          {fieldError('token')}
        </div>
        <fieldset
          className="field choices"
          aria-invalid={errors.verdict !== undefined}
          aria-describedby={describedBy('verdict')}
        >
          <legend>{t('verdictPanel.legend')}</legend>
          {DECISIONS.map((decision) => (
            <label key={decision} className="choice">
              <input
                type="radio"
                name={ids.verdict}
                value={decision}
                checked={verdict === decision}
                onChange={() => setVerdictChoice(decision)}
              />
              {t(`verdict.${decision}`)}
            </label>
          ))}
          {fieldError('verdict')}
        </fieldset>
        <div className="field">
          <label htmlFor={ids.note}>{t('verdictPanel.noteLabel')}</label>
          <textarea
            id={ids.note}
            name="note"
            rows={3}
            value={note}
            aria-invalid={errors.note !== undefined}
            aria-describedby={describedBy('note')}
            onChange={(event) => setNote(event.target.value)}
          />
          {fieldError('note')}
        </div>
        {formError !== null && (
          <p className="alert alert--error" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" className="button" aria-busy={saving}>
          {saving ? t('verdictPanel.saving') : t('verdictPanel.submit')}
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
