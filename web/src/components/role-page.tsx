import type { ReactNode } from 'react';
import type { Me, Role } from '../api-auth';
import { useDocumentTitle } from '../document-title';
import { STAFF_ROLES } from '../session';
import { RequireRole } from './require-role';
import { StaffNav } from './staff-nav';

/**
 * A page for signed-in roles: `title` is the document title and the page's heading (focusable,
 * for the router's focus on navigation), and `children(me)` shows under it to a person whose
 * role is one of `roles` (RequireRole: everyone else is asked to sign in).
 */
export function RolePage({
  title,
  roles,
  children,
}: {
  title: string;
  roles: readonly Role[];
  children: (me: Me) => ReactNode;
}) {
  useDocumentTitle(title);
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      <RequireRole roles={roles}>{children}</RequireRole>
    </>
  );
}

/** A page of the staff console (analysts and admins unless `roles` says): a RolePage under the staff navigation. */
export function StaffPage({
  title,
  roles = STAFF_ROLES,
  children,
}: {
  title: string;
  roles?: readonly Role[];
  children: (me: Me) => ReactNode;
}) {
  return (
    <RolePage title={title} roles={roles}>
      {(me) => (
        <>
          <StaffNav me={me} />
          {children(me)}
        </>
      )}
    </RolePage>
  );
}
