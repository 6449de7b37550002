import { useTranslation } from 'react-i18next';
import { ApiKeys } from '../components/api-keys';
import { RequireRole } from '../components/require-role';
import { StaffNav } from '../components/staff-nav';
import { UserAccounts } from '../components/user-accounts';
import { useDocumentTitle } from '../document-title';

/**
 * `/staff/users` (admins): accounts (create with a generated password shown once, disable,
 * re-enable) and API keys for machine clients (create, shown once; revoke). Verifiers are scoped
 * to entities and platform liaisons to a platform.
 */
export function UsersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('users.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('users.title')}</h1>
      <RequireRole roles={['admin']}>
        {(me) => (
          <>
            <StaffNav me={me} />
            <UserAccounts />
            <ApiKeys />
          </>
        )}
      </RequireRole>
    </>
  );
}
