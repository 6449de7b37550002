import type { ReactNode } from 'react';

/**
 * A table of a public report (bulletin, transparency report) in a region that scrolls sideways on
 * a phone: a header row, number columns right-aligned like the figures under them.
 */
export function ReportTable({
  captionId,
  testId,
  head,
  numbersFrom = 1,
  numberColumns,
  children,
}: {
  /** ID of the heading that names the table (the scrolling region's label). */
  captionId: string;
  testId: string;
  head: string[];
  /** The first column of numbers (right-aligned like the figures under it). */
  numbersFrom?: number;
  /** The columns of numbers, when they are not all the columns from `numbersFrom` on. */
  numberColumns?: readonly number[];
  children: ReactNode;
}) {
  const numeric = (i: number) =>
    numberColumns === undefined ? i >= numbersFrom : numberColumns.includes(i);
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table table--report" data-testid={testId}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className={numeric(i) ? 'number' : undefined}>
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

/** A section of a public report under its heading, whose id (`id`) also names its tables. */
export function ReportSection({
  id,
  heading,
  children,
}: {
  id: string;
  heading: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {children}
    </section>
  );
}

/** The figures of a table row, each in a right-aligned cell. */
export function NumberCells({ values }: { values: readonly ReactNode[] }) {
  return values.map((value, i) => (
    <td key={i} className="number">
      {value}
    </td>
  ));
}
