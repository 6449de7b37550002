// Public API of the demo: the shipped data set imported, and the process run on it.
export { DEMO_FILES, placeDemoRows, storeIsEmpty, type PlacedRows } from './demo-data.js';
export {
  UNDATED_END_DAYS_AGO,
  UNDATED_SPAN_DAYS,
  dayShiftOnto,
  undatedTime,
} from './demo-dates.js';
export {
  DEMO_LIAISON,
  DEMO_NOTICES_MAX,
  importDemo,
  importDemoOnStart,
  type DemoImportOptions,
  type DemoFileResult,
  type DemoImportResult,
} from './demo.service.js';
