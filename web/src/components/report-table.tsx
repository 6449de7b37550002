import type { ReactNode } from 'react';
import { DataTable } from './data-table';

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
  return (
    <DataTable
      labelledBy={captionId}
      testId={testId}
      head={head}
      className="table table--report"
      numeric={(i) => (numberColumns === undefined ? i >= numbersFrom : numberColumns.includes(i))}
    >
      {children}
    </DataTable>
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
