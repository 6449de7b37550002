import { useTranslation } from 'react-i18next';
import { formatTaipeiTime } from '../query';

/** A UTC instant shown in Taipei time in the UI language, in a `<time>` element. */
export function TaipeiTime({ iso }: { iso: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={iso}>{formatTaipeiTime(iso, i18n.language)}</time>;
}
