/**
 * Tables of public case-page view counting (issue 9, migration 0011): how many times each case's
 * public view was served, per UTC hour. No IP address, session, user or any other personal data
 * is stored — only the case, the hour and a count. Rows older than the longest trending window
 * are deleted (cases/trending.service.ts), so the table stays bounded.
 */
export interface ViewTables {
  case_views: CaseViewsTable;
}

export interface CaseViewsTable {
  case_id: string;
  /** Start of the UTC hour, ISO 8601 (`2026-11-29T02:00:00.000Z`). */
  bucket: string;
  /** Views of the case in that hour. */
  views: number;
}
