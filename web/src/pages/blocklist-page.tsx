import { useId, useState, type FormEvent } from 'react';
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
import { Field } from '../components/field';
import { SearchForm, useFilterParams } from '../components/list-filters';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged } from '../components/pager';
import { RequireRole } from '../components/require-role';
import { StaffNav } from '../components/staff-nav';
import { useDocumentTitle } from '../document-title';
import { blocklistErrorText } from '../blocklist-errors';
import { ApiError } from '../http';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';
import { STAFF_ROLES } from '../session';
import { useLoad } from '../use-load';

/** Entries per page. */
const PAGE_SIZE = 50;

/**
 * `/staff/blocklist`: blocklist entries with their legal basis, requesting unit, site type,
 * validity and state (proposed → active with a legal basis → appealed → reinstated or lifted),
 * with the true total, 50 to a page, filtered by state, text in the domain and source (in the
 * address: `state`, `q`, `source`, `page`); propose a domain; act on an entry. The protection guard on the server refuses platforms,
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
  const filters = useFilterParams();
  const stateParam = filters.get('state');
  const state = isOneOf(ENTRY_STATES, stateParam) ? stateParam : '';
  const q = filters.get('q');
  const source = filters.get('source');
  const at = useServerPage(PAGE_SIZE);
  const loaded = useLoad(
    (signal) =>
      getBlocklistEntries(
        { ...(state !== '' && { state }), q, source, limit: at.limit, offset: at.offset },
        signal,
      ),
    [state, q, source, at.offset],
    { keepWhileReloading: true },
  );
  const result = loaded.state.phase === 'done' ? loaded.state.data : null;
  const paged = useServerPaged(result, at);

  const replace = (updated: BlocklistEntry) =>
    loaded.update((page) => ({
      ...page,
      items: page.items.map((e) => (e.id === updated.id ? updated : e)),
    }));

  return (
    <>
      <ProposeForm
        onProposed={(entry) =>
          loaded.update((page) => ({
            ...page,
            items: [entry, ...page.items],
            total: page.total + 1,
          }))
        }
      />
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>{t('blocklist.entries')}</h2>
        <SearchForm
          legend={t('blocklist.entries')}
          fields={[
            {
              key: 'q',
              label: t('blocklist.domainFilter'),
              hint: t('blocklist.domainFilterHint'),
              value: q,
            },
            {
              key: 'source',
              label: t('blocklist.source'),
              hint: t('blocklist.sourceHint'),
              value: source,
            },
          ]}
          onApply={(values) => filters.set(values)}
          loadError={loaded.state.phase === 'failed' ? loaded.state.error : undefined}
        />
        <div className="filters">
          <Field label={t('blocklist.state')}>
            {(control) => (
              <select
                {...control}
                value={state}
                onChange={(event) => filters.set({ state: event.target.value })}
              >
                <option value="">{t('staff.all')}</option>
                {ENTRY_STATES.map((value) => (
                  <option key={value} value={value}>
                    {t(`entryState.${value}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <LoadStatus state={loaded.state} describe={(error) => blocklistErrorText(t, error)} />
        {result !== null && result.total === 0 && <p>{t('blocklist.none')}</p>}
        {result !== null && result.total > 0 && (
          <>
            <p role="status" data-testid="blocklist-total">
              {t('blocklist.count', { count: result.total })}
            </p>
            <ul className="case-list" data-testid="blocklist-entries">
              {result.items.map((entry) => (
                <li key={entry.id}>
                  <EntryCard entry={entry} onChanged={replace} />
                </li>
              ))}
            </ul>
          </>
        )}
        {paged !== null && <Pager paged={paged} label={t('blocklist.entries')} />}
      </section>
    </>
  );
}

function ProposeForm({ onProposed }: { onProposed: (entry: BlocklistEntry) => void }) {
  const { t } = useTranslation();
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
      setError({
        field: caught instanceof ApiError && caught.field === 'domain' ? 'domain' : 'form',
        message: blocklistErrorText(t, caught),
      });
    }
  }

  const domainError = error?.field === 'domain' ? error.message : null;
  return (
    <details className="panel">
      <summary>{t('blocklist.propose')}</summary>
      <form className="form form--grid" onSubmit={onSubmit} noValidate>
        <Field label={t('blocklist.domain')} error={domainError}>
          {(control) => (
            <input
              {...control}
              type="text"
              spellCheck={false}
              autoCapitalize="off"
              value={domain}
              onChange={(event) => setDomain(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('blocklist.caseIds')} optional>
          {(control) => (
            <input
              {...control}
              type="text"
              spellCheck={false}
              value={caseIds}
              onChange={(event) => setCaseIds(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('blocklist.siteType')} optional>
          {(control) => (
            <input
              {...control}
              type="text"
              value={siteType}
              onChange={(event) => setSiteType(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('blocklist.note')} optional>
          {(control) => (
            <input
              {...control}
              type="text"
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          )}
        </Field>
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
      setError(blocklistErrorText(t, caught));
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
              <Field label={t('blocklist.basisKind')}>
                {(control) => (
                  <select
                    {...control}
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
                )}
              </Field>
              <Field label={t('blocklist.reference')}>
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    value={reference}
                    onChange={(event) => setReference(event.target.value)}
                  />
                )}
              </Field>
              <Field label={t('blocklist.basisDate')}>
                {(control) => (
                  <input
                    {...control}
                    type="date"
                    value={date}
                    onChange={(event) => setDate(event.target.value)}
                  />
                )}
              </Field>
              <Field label={t('blocklist.unit')}>
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    value={unit}
                    onChange={(event) => setUnit(event.target.value)}
                  />
                )}
              </Field>
            </>
          ) : (
            <Field
              label={t('blocklist.note')}
              optional={action === 'reinstate'}
              className="field--full"
            >
              {(control) => (
                <textarea
                  {...control}
                  rows={2}
                  value={note}
                  onChange={(event) => setNote(event.target.value)}
                />
              )}
            </Field>
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
