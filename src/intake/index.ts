export {
  REPORT_LIMITS,
  ingestPrepared,
  prepareReport,
  prepareStoredReport,
  submitReport,
  type ImportedDecision,
  type IntakeResult,
  type PreparedReport,
  type ReportInput,
} from './intake.service.js';
export { registerIntakeRoutes } from './intake.routes.js';
export { screenshotTypeOf, type ScreenshotType } from './report-attachments.js';
export {
  copyIndicatorLinks,
  addCaseKeys,
  deleteIndicatorLinks,
  listStaffReports,
  moveCaseKeys,
  moveReports,
  reportsOfCase,
  type CaseReportView,
  type StoredReportRow,
} from './intake.repo.js';
export { refreshCasePublicForms, refreshStalePublicForms } from './public-forms.js';
export { PUBLIC_FORM_VERSION } from './public-text.js';
export {
  importRows,
  IMPORT_BATCH_SIZE,
  type ImportSummary,
  type ImportProgress,
  type ImportRowStored,
} from './import.service.js';
export { readImportFile, detectImportFormat, JsonlReportSchema } from './importers/formats.js';
export {
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportOptions,
  type ImportRow,
} from './importers/types.js';
export { adDisclosureCounts } from './scanner.repo.js';
export { REPORT_BATCH_MAX, submitReportBatch, type BatchResult } from './batch.service.js';
export { submitScannerFeed, type ScannedAd } from './scanner.service.js';
