import { useId, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  activateBlocklistEntry,
  ENTRY_STATES,
  getBlocklistEntries,
  LEGAL_BASES,
  proposeBlocklistEntry,
  transitionBlocklistEntry,
  type BlocklistEntry,
  type EntryState,
  type EntryTransition,
  type LegalBasisKind,
} from '../api-blocklist';
import { LoadStatus } from '../components/load-status';
import { RequireRole } from '../components/require-role';
import { StaffNav } from '../components/staff-nav';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { ApiError, getCredential } from '../http';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';
import { STAFF_ROLES } from '../session';
import { useLoad } from '../use-load';

/**
 * The message for a failed blocklist call. The blocklist routes accept only the admin token so
 * far (not web sessions): say so instead of a bare "forbidden".
 */
function blocklistError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.status === 403 && getCredential().kind === 'session') {
    return t('blocklist.tokenOnly');
  }
  return errorText(t, error);
}

/**
 * `/staff/blocklist`: blocklist entries with their legal basis, requesting unit, site type,
 * validity and state (proposed → active with a legal basis → appealed → reinstated or lifted);
 * propose a domain; act on an entry. The protection guard on the server refuses platforms,
 * government domains and the like, with the rule named.
 */
export function BlocklistPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('blocklist.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('blocklist.title')}</h1>
      <RequireRole roles={STAFF_ROLES}>
        {(me) => (
          <>
            <StaffNav me={me} />
            <Blocklist />
          </>
        )}
      </RequireRole>
    </>
  );
}

function Blocklist() {
  const { t } = useTranslation();
  const id = useId();
  const [state, setState] = useState<EntryState | ''>('');
  const [domain, setDomain] = useState('');
  // Typing a domain filter refetches on each key: keep the current list shown meanwhile.
  const loaded = useLoad(
    (signal) =>
      getBlocklistEntries(
        { ...(state !== '' && { state }), ...(domain.trim() !== '' && { domain }) },
        signal,
      ),
    [state, domain],
    { keepWhileReloading: true },
  );
  const entries = loaded.state.phase === 'done' ? loaded.state.data : null;

  const replace = (updated: BlocklistEntry) =>
    loaded.update((list) => list.map((e) => (e.id === updated.id ? updated : e)));

  return (
    <>
      <ProposeForm onProposed={(entry) => loaded.update((list) => [entry, ...list])} />
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>{t('blocklist.entries')}</h2>
        <div className="filters">
          <div className="field">
            <label htmlFor={`${id}-state`}>{t('blocklist.state')}</label>
            <select
              id={`${id}-state`}
              value={state}
              onChange={(event) => {
                const value = event.target.value;
                setState(isOneOf(ENTRY_STATES, value) ? value : '');
              }}
            >
              <option value="">{t('staff.all')}</option>
              {ENTRY_STATES.map((value) => (
                <option key={value} value={value}>
                  {t(`entryState.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-domain`}>{t('blocklist.domainFilter')}</label>
            <input
              id={`${id}-domain`}
              type="search"
              spellCheck={false}
              value={domain}
              onChange={(event) => setDomain(event.target.value)}
            />
          </div>
        </div>
        <LoadStatus state={loaded.state} describe={(error) => blocklistError(t, error)} />
        {entries !== null && entries.length === 0 && <p>{t('blocklist.none')}</p>}
        {entries !== null && entries.length > 0 && (
          <ul className="case-list" data-testid="blocklist-entries">
            {entries.map((entry) => (
              <li key={entry.id}>
                <EntryCard entry={entry} onChanged={replace} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ProposeForm({ onProposed }: { onProposed: (entry: BlocklistEntry) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [domain, setDomain] = useState('');
  const [caseIds, setCaseIds] = useState('');
  const [siteType, setSiteType] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<{ field: 'domain' | 'form'; message: string } | null>(null);
  const [status, setStatus] = useState('');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus('');
    if (domain.trim() === '') {
      setError({ field: 'domain', message: t('blocklist.domainRequired') });
      return;
    }
    try {
      const ids = caseIds
        .split(/[\s,]+/)
        .map((value) => value.trim().toUpperCase())
        .filter((value) => value !== '');
      const entry = await proposeBlocklistEntry({
        domain: domain.trim(),
        ...(ids.length > 0 && { caseIds: ids }),
        ...(siteType.trim() !== '' && { siteType: siteType.trim() }),
        ...(note.trim() !== '' && { note: note.trim() }),
      });
      setError(null);
      setDomain('');
      setCaseIds('');
      setSiteType('');
      setNote('');
      setStatus(t('blocklist.proposed', { domain: entry.domain }));
      onProposed(entry);
    } catch (caught) {
      const refused =
        caught instanceof ApiError && caught.code === 'domain_refused'
          ? t('blocklist.refused', { message: caught.message })
          : null;
      setError({
        field: caught instanceof ApiError && caught.field === 'domain' ? 'domain' : 'form',
        message: refused ?? blocklistError(t, caught),
      });
    }
  }

  const domainError = error?.field === 'domain' ? error.message : null;
  return (
    <details className="panel">
      <summary>{t('blocklist.propose')}</summary>
      <form className="form form--grid" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-domain`}>{t('blocklist.domain')}</label>
          <input
            id={`${id}-domain`}
            type="text"
            spellCheck={false}
            autoCapitalize="off"
            value={domain}
            aria-invalid={domainError !== null}
            aria-describedby={domainError !== null ? `${id}-derr` : undefined}
            onChange={(event) => setDomain(event.target.value)}
          />
          {domainError !== null && (
            <p className="field__error" id={`${id}-derr`}>
              {domainError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-cases`}>
            {t('blocklist.caseIds')} <span className="field__optional">{t('common.optional')}</span>
          </label>
          <input
            id={`${id}-cases`}
            type="text"
            spellCheck={false}
            value={caseIds}
            onChange={(event) => setCaseIds(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-site`}>
            {t('blocklist.siteType')}{' '}
            <span className="field__optional">{t('common.optional')}</span>
          </label>
          <input
            id={`${id}-site`}
            type="text"
            value={siteType}
            onChange={(event) => setSiteType(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>
            {t('blocklist.note')} <span className="field__optional">{t('common.optional')}</span>
          </label>
          <input
            id={`${id}-note`}
            type="text"
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        </div>
        {error?.field === 'form' && (
          <p className="alert alert--error field--full" role="alert">
            {error.message}
          </p>
        )}
        <button type="submit" className="button">
          {t('blocklist.proposeSubmit')}
        </button>
        <p role="status" className="panel__status field--full">
          {status}
        </p>
      </form>
    </details>
  );
}

/** Actions each state allows (the server checks them again). */
function actionsOf(state: EntryState): Array<'activate' | EntryTransition> {
  switch (state) {
    case 'proposed':
      return ['activate', 'lift'];
    case 'active':
      return ['appeal', 'lift'];
    case 'appealed':
      return ['reinstate', 'lift'];
    default:
      return [];
  }
}

function EntryCard({
  entry,
  onChanged,
}: {
  entry: BlocklistEntry;
  onChanged: (entry: BlocklistEntry) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [action, setAction] = useState<'activate' | EntryTransition | null>(null);
  const [kind, setKind] = useState<LegalBasisKind>('administrative_disposition');
  const [reference, setReference] = useState('');
  const [date, setDate] = useState('');
  const [unit, setUnit] = useState(entry.requestingUnit ?? '');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const time = (iso: string | null) =>
    iso === null ? '—' : <time dateTime={iso}>{formatTaipeiTime(iso, i18n.language)}</time>;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (action === null) return;
    if (action === 'activate' && (reference.trim() === '' || date === '' || unit.trim() === '')) {
      setError(t('blocklist.basisRequired'));
      return;
    }
    if ((action === 'appeal' || action === 'lift') && note.trim() === '') {
      setError(t('blocklist.noteRequired'));
      return;
    }
    try {
      const updated =
        action === 'activate'
          ? await activateBlocklistEntry(entry.id, {
              legalBasis: { kind, reference: reference.trim(), date },
              requestingUnit: unit.trim(),
            })
          : await transitionBlocklistEntry(entry.id, action, note);
      setError(null);
      setAction(null);
      setNote('');
      setStatus(t('blocklist.changed', { state: t(`entryState.${updated.state}`) }));
      onChanged(updated);
    } catch (caught) {
      setError(blocklistError(t, caught));
    }
  }

  return (
    <article className="case-card" data-entry-id={entry.id} aria-labelledby={`${id}-h`}>
      <div className="case-card__top">
        <span className={`chip chip--entry-${entry.state}`}>{t(`entryState.${entry.state}`)}</span>
        <h3 id={`${id}-h`} className="case-card__title">
          <code className="break">{entry.domain}</code>
        </h3>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('blocklist.legalBasis')}</dt>
          <dd>
            {entry.legalBasis === null
              ? t('blocklist.noBasis')
              : `${t(`legalBasis.${entry.legalBasis.kind}`)} ${entry.legalBasis.reference} (${entry.legalBasis.date})`}
          </dd>
        </div>
        <div>
          <dt>{t('blocklist.unit')}</dt>
          <dd>{entry.requestingUnit ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('blocklist.siteType')}</dt>
          <dd>{entry.siteType ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('blocklist.effective')}</dt>
          <dd>{time(entry.effectiveAt)}</dd>
        </div>
        <div>
          <dt>{t('blocklist.expires')}</dt>
          <dd>{time(entry.expiresAt)}</dd>
        </div>
        <div>
          <dt>{t('blocklist.cases')}</dt>
          <dd>
            {entry.caseIds.length === 0
              ? '—'
              : entry.caseIds.map((caseId) => (
                  <Link key={caseId} to={`/cases/${caseId}`} className="inline-link">
                    {caseId}
                  </Link>
                ))}
          </dd>
        </div>
      </dl>
      {entry.state === 'appealed' && (
        <p className="alert alert--info">{t('blocklist.appealNote')}</p>
      )}
      {entry.note !== null && <p>{t('case.note', { note: entry.note })}</p>}
      <div className="notice-actions">
        {actionsOf(entry.state).map((value) => (
          <button
            key={value}
            type="button"
            className="button button--secondary"
            aria-expanded={action === value}
            onClick={() => {
              setError(null);
              setAction(action === value ? null : value);
            }}
          >
            {t(`blocklist.action.${value}`)}
          </button>
        ))}
      </div>
      {action !== null && (
        <form className="form form--grid" onSubmit={onSubmit} noValidate>
          {action === 'activate' ? (
            <>
              <div className="field">
                <label htmlFor={`${id}-kind`}>{t('blocklist.basisKind')}</label>
                <select
                  id={`${id}-kind`}
                  value={kind}
                  onChange={(event) => {
                    const value = event.target.value;
                    if (isOneOf(LEGAL_BASES, value)) setKind(value);
                  }}
                >
                  {LEGAL_BASES.map((value) => (
                    <option key={value} value={value}>
                      {t(`legalBasis.${value}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-ref`}>{t('blocklist.reference')}</label>
                <input
                  id={`${id}-ref`}
                  type="text"
                  value={reference}
                  onChange={(event) => setReference(event.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-date`}>{t('blocklist.basisDate')}</label>
                <input
                  id={`${id}-date`}
                  type="date"
                  value={date}
                  onChange={(event) => setDate(event.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-unit`}>{t('blocklist.unit')}</label>
                <input
                  id={`${id}-unit`}
                  type="text"
                  value={unit}
                  onChange={(event) => setUnit(event.target.value)}
                />
              </div>
            </>
          ) : (
            <div className="field field--full">
              <label htmlFor={`${id}-note`}>
                {t('blocklist.note')}{' '}
                {action === 'reinstate' && (
                  <span className="field__optional">{t('common.optional')}</span>
                )}
              </label>
              <textarea
                id={`${id}-note`}
                rows={2}
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
            </div>
          )}
          {error !== null && (
            <p className="alert alert--error field--full" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button">
            {t(`blocklist.action.${action}`)}
          </button>
        </form>
      )}
      <p role="status" className="panel__status">
        {status}
      </p>
    </article>
  );
}
