import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { proposeBlocklistEntry, type BlocklistEntry } from '../api-blocklist';
import { blocklistErrorText } from '../blocklist-errors';
import { ApiError } from '../http';
import { GridForm } from './grid-form';
import { InputField } from './field';

/** The proposal as typed: case IDs as one text, '' for what is left out. */
interface ProposalDraft {
  domain: string;
  caseIds: string;
  siteType: string;
  note: string;
}

const EMPTY: ProposalDraft = { domain: '', caseIds: '', siteType: '', note: '' };

/** The request body of a draft: trimmed, case IDs upper-cased, empty optional fields left out. */
function proposalOf(draft: ProposalDraft) {
  const caseIds = draft.caseIds
    .split(/[\s,]+/)
    .map((value) => value.trim().toUpperCase())
    .filter((value) => value !== '');
  return {
    domain: draft.domain.trim(),
    ...(caseIds.length > 0 && { caseIds }),
    ...(draft.siteType.trim() !== '' && { siteType: draft.siteType.trim() }),
    ...(draft.note.trim() !== '' && { note: draft.note.trim() }),
  };
}

/**
 * Proposes a domain for the blocklist (a `proposed` entry, blocked only once a legal basis is
 * given), with optional case IDs, site type and note. The server's protection guard may refuse
 * the domain, naming its rule (shown under the domain).
 */
export function BlocklistProposeForm({
  onProposed,
}: {
  onProposed: (entry: BlocklistEntry) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(EMPTY);
  const [error, setError] = useState<{ field: 'domain' | 'form'; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const set = (patch: Partial<ProposalDraft>) => setDraft((current) => ({ ...current, ...patch }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus('');
    if (draft.domain.trim() === '') {
      setError({ field: 'domain', message: t('blocklist.domainRequired') });
      return;
    }
    try {
      const entry = await proposeBlocklistEntry(proposalOf(draft));
      setError(null);
      setDraft(EMPTY);
      setStatus(t('blocklist.proposed', { domain: entry.domain }));
      onProposed(entry);
    } catch (caught) {
      setError({
        field: caught instanceof ApiError && caught.field === 'domain' ? 'domain' : 'form',
        message: blocklistErrorText(t, caught),
      });
    }
  }

  return (
    <details className="panel">
      <summary>{t('blocklist.propose')}</summary>
      <GridForm
        onSubmit={onSubmit}
        error={error?.field === 'form' ? error.message : null}
        submit={t('blocklist.proposeSubmit')}
        status={status}
      >
        <InputField
          label={t('blocklist.domain')}
          error={error?.field === 'domain' ? error.message : null}
          spellCheck={false}
          autoCapitalize="off"
          value={draft.domain}
          onChange={(domain) => set({ domain })}
        />
        <InputField
          label={t('blocklist.caseIds')}
          optional
          spellCheck={false}
          value={draft.caseIds}
          onChange={(caseIds) => set({ caseIds })}
        />
        <InputField
          label={t('blocklist.siteType')}
          optional
          value={draft.siteType}
          onChange={(siteType) => set({ siteType })}
        />
        <InputField
          label={t('blocklist.note')}
          optional
          value={draft.note}
          onChange={(note) => set({ note })}
        />
      </GridForm>
    </details>
  );
}
