import { useTranslation } from 'react-i18next';
import type { Notice } from '../api-workflow';

/**
 * What a takedown notice asks its platform to act on — content URLs, LINE IDs, phones — each
 * with its kind (the indicator labels), so a LINE-only notice shows the LINE ID instead of
 * "no URL".
 */
export function NoticeTargets({ notice }: { notice: Pick<Notice, 'targets'> }) {
  const { t } = useTranslation();
  return (
    <span className="stack">
      {notice.targets.map((target) => (
        <span key={`${target.type}:${target.value}`}>
          {t(`indicator.${target.type}`)} <code className="break">{target.value}</code>
        </span>
      ))}
    </span>
  );
}
