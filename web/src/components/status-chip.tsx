import { useTranslation } from 'react-i18next';
import type { CasePublic } from '../api';
import { toLanguage } from '../i18n';

const ICONS: Record<CasePublic['colour'], string> = {
  red: '\u2716',
  yellow: '!',
  grey: '\u2026',
  green: '\u2714',
};

/**
 * The public status label of a case as a coloured chip. The label text is always shown (colour is
 * never the only cue); the icon is decorative. The i18n label wins; the server's label is the
 * fallback for a status this build does not know yet.
 */
export function StatusChip({ kase }: { kase: Pick<CasePublic, 'status' | 'label' | 'colour'> }) {
  const { t, i18n } = useTranslation();
  const serverLabel = kase.label[toLanguage(i18n.language)];
  return (
    <span className={`chip chip--${kase.colour}`} data-status={kase.status}>
      <span className="chip__icon" aria-hidden="true">
        {ICONS[kase.colour]}
      </span>
      <span className="chip__label">
        {t(`status.${kase.status}`, { defaultValue: serverLabel })}
      </span>
    </span>
  );
}
