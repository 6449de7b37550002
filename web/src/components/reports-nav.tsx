import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

/**
 * The public figures' sections: statistics (`/stats`), the weekly bulletins (`/bulletins`, and a
 * week's bulletin under it) and the transparency report (`/transparency`, by year under it).
 * Shown at the top of each of those pages; the current section is marked `aria-current`.
 */
export function ReportsNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('reports.navLabel')} className="sub-nav" data-testid="reports-nav">
      <NavLink to="/stats" end>
        {t('nav.stats')}
      </NavLink>
      <NavLink to="/bulletins">{t('stats.bulletins')}</NavLink>
      <NavLink to="/transparency">{t('stats.transparency')}</NavLink>
    </nav>
  );
}
