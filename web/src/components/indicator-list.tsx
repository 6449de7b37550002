import { useTranslation } from 'react-i18next';
import type { Indicator } from '../api';

/**
 * Indicators as a definition list: each one's type (`indicator.*`) and its value as plain code
 * text (never a link, so nobody opens a scam address by accident).
 */
export function IndicatorList({ indicators }: { indicators: readonly Indicator[] }) {
  const { t } = useTranslation();
  return (
    <dl className="indicators">
      {indicators.map((indicator) => (
        <div key={`${indicator.type}:${indicator.value}`}>
          <dt>{t(`indicator.${indicator.type}`)}</dt>
          <dd>
            <code className="break">{indicator.value}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Reported links as a list of plain code text (never links, for the same reason). */
export function UrlList({ urls }: { urls: readonly string[] }) {
  return (
    <ul className="plain-list">
      {urls.map((url) => (
        <li key={url}>
          <code className="break">{url}</code>
        </li>
      ))}
    </ul>
  );
}
