import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ENTRY_STATES, getBlocklistEntries, type BlocklistEntry } from '../api-blocklist';
import { blocklistErrorText } from '../blocklist-errors';
import { BlocklistEntryCard } from '../components/blocklist-entry-card';
import { BlocklistProposeForm } from '../components/blocklist-propose-form';
import { SelectField } from '../components/field';
import { SearchForm, useFilterParams } from '../components/list-filters';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged } from '../components/pager';
import { isOneOf } from '../reader';
import { replaceById, useLoad, loadedData, loadFailure } from '../use-load';
import { StaffPage } from '../components/role-page';

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
  return <StaffPage title={t('blocklist.title')}>{() => <Blocklist />}</StaffPage>;
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
  const result = loadedData(loaded.state);
  const paged = useServerPaged(result, at);

  const replace = (updated: BlocklistEntry) =>
    loaded.update((page) => ({
      ...page,
      items: replaceById(page.items, updated),
    }));

  return (
    <>
      <BlocklistProposeForm
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
          loadError={loadFailure(loaded.state)}
        />
        <div className="filters">
          <SelectField
            label={t('blocklist.state')}
            value={state}
            values={ENTRY_STATES}
            text={(value) => t(`entryState.${value}`)}
            empty={t('staff.all')}
            onChange={(value) => filters.set({ state: value })}
          />
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
                  <BlocklistEntryCard entry={entry} onChanged={replace} />
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
