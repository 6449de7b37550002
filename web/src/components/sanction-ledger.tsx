import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PLATFORMS } from '../api';
import {
  getSanctions,
  NOTICE_PLATFORMS,
  SANCTIONS_LIMIT,
  type NoticePlatform,
} from '../api-portal';
import { isOneOf } from '../reader';
import { useLoad } from '../use-load';
import { SelectField } from './field';
import { LoadStatus } from './load-status';
import { Pager, usePaged } from './pager';
import { DataTable } from './data-table';
import { TaipeiTime } from './taipei-time';

const PAGE_SIZE = 25;

/**
 * The sanction ledger (one entry per missed takedown deadline, newest first) as a paged table:
 * the notice, platform, which occurrence, when the deadline passed, the legal basis and the fine
 * range. `platformFilter` offers staff a platform filter; a platform liaison gets only their own
 * platform's entries from the server whatever is asked.
 */
export function SanctionLedger({ platformFilter }: { platformFilter: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [platform, setPlatform] = useState<NoticePlatform | ''>('');
  const { state } = useLoad(
    (signal) => getSanctions(platform === '' ? {} : { platform }, signal),
    [platform],
  );
  const sanctions = state.phase === 'done' ? state.data : [];
  const paged = usePaged(sanctions, PAGE_SIZE, 'sanctionsPage');

  const platformName = (name: string) => (isOneOf(PLATFORMS, name) ? t(`platform.${name}`) : name);
  const money = (amount: number, currency: string) => {
    try {
      return new Intl.NumberFormat(i18n.language, {
        style: 'currency',
        currency,
        maximumFractionDigits: 0,
      }).format(amount);
    } catch {
      // Not an ISO 4217 code: the plain number and the server's unit.
      return `${new Intl.NumberFormat(i18n.language).format(amount)} ${currency}`;
    }
  };

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('sanctions.heading')}</h2>
      <p>{t('sanctions.intro')}</p>
      {platformFilter && (
        <div className="filters">
          <SelectField
            label={t('case.platform')}
            value={platform}
            values={NOTICE_PLATFORMS}
            text={(name) => t(`platform.${name}`)}
            empty={t('sanctions.allPlatforms')}
            onChange={(value) => {
              setPlatform(value);
              paged.setPage(1);
            }}
          />
        </div>
      )}
      <LoadStatus state={state} />
      {state.phase === 'done' && sanctions.length === 0 && (
        <p data-testid="sanctions-empty">{t('sanctions.none')}</p>
      )}
      {state.phase === 'done' && sanctions.length > 0 && (
        <>
          {sanctions.length >= SANCTIONS_LIMIT && (
            <p>{t('sanctions.capped', { limit: SANCTIONS_LIMIT })}</p>
          )}
          <DataTable
            labelledBy={`${id}-h`}
            testId="sanctions"
            head={[
              t('takedown.notice'),
              t('case.platform'),
              t('sanctions.occurrence'),
              t('sanctions.missedAt'),
              t('sanctions.legalBasis'),
              t('sanctions.fine'),
            ]}
          >
            {paged.items.map((sanction) => (
              <tr
                key={`${sanction.noticeId}-${sanction.occurrence}-${sanction.missedDeadlineAt}`}
                data-notice-id={sanction.noticeId}
              >
                <th scope="row">
                  <code>{sanction.noticeId}</code>
                </th>
                <td>{platformName(sanction.platform)}</td>
                <td>{t('sanctions.nth', { n: sanction.occurrence })}</td>
                <td>
                  <TaipeiTime iso={sanction.missedDeadlineAt} />
                </td>
                <td className="break">{sanction.legalBasis}</td>
                <td>
                  {sanction.fineMin === sanction.fineMax
                    ? money(sanction.fineMin, sanction.currency)
                    : t('sanctions.range', {
                        min: money(sanction.fineMin, sanction.currency),
                        max: money(sanction.fineMax, sanction.currency),
                      })}
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager paged={paged} label={t('sanctions.heading')} />
        </>
      )}
    </section>
  );
}
