import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { Me } from '../api-auth';

/**
 * The staff console's sections (analysts and admins), plus their own decision history
 * (`/verify/history`, the page verifiers use too); "users and API keys" only for admins.
 */
export function StaffNav({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('staff.navLabel')} className="sub-nav">
      <NavLink to="/staff" end>
        {t('staff.nav.queue')}
      </NavLink>
      <NavLink to="/staff/takedown">{t('staff.nav.takedown')}</NavLink>
      <NavLink to="/staff/blocklist">{t('staff.nav.blocklist')}</NavLink>
      <NavLink to="/staff/entities">{t('staff.nav.entities')}</NavLink>
      {(me.role === 'analyst' || me.role === 'admin') && (
        <NavLink to="/verify/history">{t('staff.nav.history')}</NavLink>
      )}
      {me.role === 'admin' && <NavLink to="/staff/users">{t('staff.nav.users')}</NavLink>}
    </nav>
  );
}
