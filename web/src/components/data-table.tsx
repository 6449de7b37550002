import type { ReactNode } from 'react';

/**
 * A table in a region that scrolls sideways on a phone (focusable, so the keyboard can scroll
 * it, and named by the heading `labelledBy`): one header row of `head` (column headers), then
 * `children` as the body's rows. `className` gives the table's classes (`table`, `table
 * table--report`…); `numeric` marks the header cells of number columns (right-aligned).
 */
export function DataTable({
  labelledBy,
  testId,
  head,
  className = 'table',
  numeric,
  children,
}: {
  labelledBy: string;
  testId: string;
  head: readonly ReactNode[];
  className?: string;
  numeric?: (column: number) => boolean;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className={className} data-testid={testId}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className={numeric?.(i) === true ? 'number' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
