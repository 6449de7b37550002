import { useTranslation } from 'react-i18next';

import type { KnownScam } from '../api';
import { StatusChip } from './status-chip';
import { CaseLink } from './case-link';

/**
 * "This LINE ID is a known scam": the confirmed scams (fraud verdict) that hold a phone, LINE ID,
 * account, address or reported site of this content, each with its status and a link to its
 * case. Shown on a reporter's confirmation and on the case page; nothing when there are none.
 */
export function KnownScams({ scams }: { scams: readonly KnownScam[] }) {
  const { t } = useTranslation();
  if (scams.length === 0) return null;
  return (
    <div className="alert alert--error known-scams" data-testid="known-scams">
      <p>
        <strong>{t('knownScams.heading')}</strong>
      </p>
      <ul className="known-scams__list">
        {scams.map((scam) => (
          <li
            key={`${scam.kase.id}:${scam.type}:${scam.value}`}
            data-known-scam={scam.kase.id}
            data-indicator-type={scam.type}
          >
            <span>
              {t(`knownScams.${scam.type}`, { value: scam.value })}{' '}
              <CaseLink caseId={scam.kase.id}>
                {t('knownScams.seeCase', { id: scam.kase.id })}
              </CaseLink>
            </span>{' '}
            <StatusChip kase={scam.kase} />
          </li>
        ))}
      </ul>
    </div>
  );
}
