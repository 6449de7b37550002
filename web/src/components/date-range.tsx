import { useTranslation } from 'react-i18next';

/**
 * Two dates as a range ("2026年11月29日至2026年12月5日", "Nov 29, 2026 – Dec 5, 2026"), each
 * date kept on one line: a narrow column wraps between the dates, never inside one.
 */
export function DateRange({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="nowrap">{from}</span>
      {t('reports.rangeTo')}
      <span className="nowrap">{to}</span>
    </>
  );
}
