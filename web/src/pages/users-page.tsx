import { useTranslation } from 'react-i18next';
import { ApiKeys } from '../components/api-keys';
import { UserAccounts } from '../components/user-accounts';
import { StaffPage } from '../components/role-page';

/**
 * `/staff/users` (admins): accounts (create with a generated password shown once, disable,
 * re-enable) and API keys for machine clients (create, shown once; revoke). Verifiers are scoped
 * to entities and platform liaisons to a platform.
 */
export function UsersPage() {
  const { t } = useTranslation();
  return (
    <StaffPage title={t('users.title')} roles={['admin']}>
      {() => (
        <>
          <UserAccounts />
          <ApiKeys />
        </>
      )}
    </StaffPage>
  );
}
