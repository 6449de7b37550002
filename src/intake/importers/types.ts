import type { ReportInput } from '../intake.service.js';

/** One row of an import file: the report it describes, or why it cannot be read. */
export type ImportRow =
  | { readonly line: number; readonly input: ReportInput }
  | { readonly line: number; readonly error: string };

/** Formats `scamnet import` reads. */
export const IMPORT_FORMATS = [
  'jsonl',
  'cofacts',
  'tw165-investment',
  'tw165-line-ids',
  'tw165-dns-suspended',
  'domains',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Options a format may use: the decision a trusted list carries, and the source name. */
export interface ImportOptions {
  /** Source name recorded on every report (defaults per format). */
  readonly source?: string;
  /** For `domains`: the verdict the list stands for, if any. */
  readonly verdict?: 'fraud' | 'high_risk' | 'not_fraud';
  /** For `domains`: why, recorded with the verdict. */
  readonly note?: string;
}
