import { createContext, useContext, type ReactNode } from 'react';
import type { Change } from '../api-stats';
import { useReportLanguage } from '../report-format';
import { DataTable } from './data-table';

/** The id of the heading of the ReportSection around, which names the tables in it. */
const SectionHeadingId = createContext<string | undefined>(undefined);

/**
 * The id of the heading of the ReportSection the caller renders in, to name a table by; `captionId`
 * instead when given. Throws when there is neither.
 */
export function useSectionHeadingId(captionId?: string): string {
  const sectionHeadingId = useContext(SectionHeadingId);
  const id = captionId ?? sectionHeadingId;
  if (id === undefined) throw new Error('a report table needs a captionId or a ReportSection');
  return id;
}

/**
 * A table of a public report (bulletin, transparency report) in a region that scrolls sideways on
 * a phone: a header row, number columns right-aligned like the figures under them. The region is
 * named by `captionId`, by default the heading of the ReportSection it stands in; it throws when
 * it has neither.
 */
export function ReportTable({
  captionId,
  testId,
  head,
  numbersFrom = 1,
  numberColumns,
  children,
}: {
  /** ID of the heading that names the table (the scrolling region's label): the section's. */
  captionId?: string;
  testId: string;
  head: string[];
  /** The first column of numbers (right-aligned like the figures under it). */
  numbersFrom?: number;
  /** The columns of numbers, when they are not all the columns from `numbersFrom` on. */
  numberColumns?: readonly number[];
  children: ReactNode;
}) {
  const labelledBy = useSectionHeadingId(captionId);
  return (
    <DataTable
      labelledBy={labelledBy}
      testId={testId}
      head={head}
      className="table table--report"
      numeric={(i) => (numberColumns === undefined ? i >= numbersFrom : numberColumns.includes(i))}
    >
      {children}
    </DataTable>
  );
}

/**
 * A section of a public report under its heading, whose id (`id`) also names its tables (the
 * ReportTables inside take it), then a note on how to read it (`note`), when there is one.
 */
export function ReportSection({
  id,
  heading,
  note,
  children,
}: {
  id: string;
  heading: string;
  note?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {note !== undefined && <p className="field__hint">{note}</p>}
      <SectionHeadingId.Provider value={id}>{children}</SectionHeadingId.Provider>
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

/** A figure of a ChangeTable: its name, its value now and before, and its `data-key`, if any. */
export interface ChangeRow {
  key?: string;
  name: string;
  change: Change;
}

/**
 * A ReportTable of figures against the period before: a row a figure (its name, this period's
 * value, the period before's and the change), under `head` (the four column headers).
 */
export function ChangeTable({
  testId,
  head,
  rows,
}: {
  testId: string;
  head: string[];
  rows: readonly ChangeRow[];
}) {
  const { f } = useReportLanguage();
  return (
    <ReportTable testId={testId} head={head}>
      {rows.map(({ key, name, change: c }) => (
        <tr key={key ?? name} data-key={key}>
          <th scope="row">{name}</th>
          <NumberCells values={[f.number(c.current), f.number(c.previous), f.change(c)]} />
        </tr>
      ))}
    </ReportTable>
  );
}
