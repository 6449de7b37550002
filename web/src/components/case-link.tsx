import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** The address of a case's page: `/cases/<id>`, the id escaped. */
export function casePath(caseId: string): string {
  return `/cases/${encodeURIComponent(caseId)}`;
}

/** A link to the page of the case `caseId` (`casePath`), saying `children`. */
export function CaseLink({
  caseId,
  className,
  children,
}: {
  caseId: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Link to={casePath(caseId)} className={className}>
      {children}
    </Link>
  );
}
