import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseLink } from './case-link';
import {
  activateBlocklistEntry,
  LEGAL_BASES,
  transitionBlocklistEntry,
  type BlocklistEntry,
  type EntryState,
  type EntryTransition,
  type LegalBasisKind,
} from '../api-blocklist';
import { blocklistErrorText } from '../blocklist-errors';
import { InputField, RequiredSelectField, TextAreaField } from './field';
import { ErrorAlert } from './error-alert';
import { Fact } from './fact';
import { TaipeiTime } from './taipei-time';

/** What staff may do to an entry: activate it (with a legal basis) or one of the transitions. */
type EntryAction = 'activate' | EntryTransition;

/** Actions each state allows (the server checks them again). */
function actionsOf(state: EntryState): EntryAction[] {
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

/**
 * One blocklist entry: its domain and state, legal basis, requesting unit, site type, validity
 * and cases, with the actions its state allows (each opens its form below).
 */
export function BlocklistEntryCard({
  entry,
  onChanged,
}: {
  entry: BlocklistEntry;
  onChanged: (entry: BlocklistEntry) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [action, setAction] = useState<EntryAction | null>(null);
  const [status, setStatus] = useState('');
  const time = (iso: string | null) => (iso === null ? '—' : <TaipeiTime iso={iso} />);

  return (
    <article className="case-card" data-entry-id={entry.id} aria-labelledby={`${id}-h`}>
      <div className="case-card__top">
        <span className={`chip chip--entry-${entry.state}`}>{t(`entryState.${entry.state}`)}</span>
        <h3 id={`${id}-h`} className="case-card__title">
          <code className="break">{entry.domain}</code>
        </h3>
      </div>
      <dl className="facts">
        <Fact term={t('blocklist.legalBasis')}>
          {entry.legalBasis === null
            ? t('blocklist.noBasis')
            : `${t(`legalBasis.${entry.legalBasis.kind}`)} ${entry.legalBasis.reference} (${entry.legalBasis.date})`}
        </Fact>
        <Fact term={t('blocklist.unit')}>{entry.requestingUnit ?? '—'}</Fact>
        <Fact term={t('blocklist.siteType')}>{entry.siteType ?? '—'}</Fact>
        <Fact term={t('blocklist.effective')}>{time(entry.effectiveAt)}</Fact>
        <Fact term={t('blocklist.expires')}>{time(entry.expiresAt)}</Fact>
        <Fact term={t('blocklist.cases')}>
          {entry.caseIds.length === 0
            ? '—'
            : entry.caseIds.map((caseId) => (
                <CaseLink key={caseId} caseId={caseId} className="inline-link">
                  {caseId}
                </CaseLink>
              ))}
        </Fact>
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
            onClick={() => setAction(action === value ? null : value)}
          >
            {t(`blocklist.action.${value}`)}
          </button>
        ))}
      </div>
      {action !== null && (
        <EntryActionForm
          key={action}
          entry={entry}
          action={action}
          onDone={(updated) => {
            setAction(null);
            setStatus(t('blocklist.changed', { state: t(`entryState.${updated.state}`) }));
            onChanged(updated);
          }}
        />
      )}
      <p role="status" className="panel__status">
        {status}
      </p>
    </article>
  );
}

/**
 * The form of one action on an entry: activation asks for the legal basis (kind, reference,
 * date) and the requesting unit; appeal and lift for a note (optional on reinstatement).
 * `onDone` gets the entry as the server changed it.
 */
function EntryActionForm({
  entry,
  action,
  onDone,
}: {
  entry: BlocklistEntry;
  action: EntryAction;
  onDone: (entry: BlocklistEntry) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<LegalBasisKind>('administrative_disposition');
  const [reference, setReference] = useState('');
  const [date, setDate] = useState('');
  const [unit, setUnit] = useState(entry.requestingUnit ?? '');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (action === 'activate' && (reference.trim() === '' || date === '' || unit.trim() === '')) {
      setError(t('blocklist.basisRequired'));
      return;
    }
    if ((action === 'appeal' || action === 'lift') && note.trim() === '') {
      setError(t('blocklist.noteRequired'));
      return;
    }
    try {
      onDone(
        action === 'activate'
          ? await activateBlocklistEntry(entry.id, {
              legalBasis: { kind, reference: reference.trim(), date },
              requestingUnit: unit.trim(),
            })
          : await transitionBlocklistEntry(entry.id, action, note),
      );
    } catch (caught) {
      setError(blocklistErrorText(t, caught));
    }
  }

  return (
    <form className="form form--grid" onSubmit={onSubmit} noValidate>
      {action === 'activate' ? (
        <>
          <RequiredSelectField
            label={t('blocklist.basisKind')}
            value={kind}
            values={LEGAL_BASES}
            text={(value) => t(`legalBasis.${value}`)}
            onChange={setKind}
          />
          <InputField label={t('blocklist.reference')} value={reference} onChange={setReference} />
          <InputField
            label={t('blocklist.basisDate')}
            type="date"
            value={date}
            onChange={setDate}
          />
          <InputField label={t('blocklist.unit')} value={unit} onChange={setUnit} />
        </>
      ) : (
        <TextAreaField
          label={t('blocklist.note')}
          optional={action === 'reinstate'}
          className="field--full"
          rows={2}
          value={note}
          onChange={setNote}
        />
      )}
      <ErrorAlert message={error} wide />
      <button type="submit" className="button">
        {t(`blocklist.action.${action}`)}
      </button>
    </form>
  );
}
