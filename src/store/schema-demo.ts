/** The demo import's marker (migration 0029; src/demo). */
export interface DemoTables {
  demo_imports: DemoImportsTable;
}

export interface DemoImportsTable {
  /** The data set imported: `demo` (data/demo). */
  name: string;
  /** When the import first started: the instant the demo's dates are placed relative to. */
  started_at: string;
  /** When it finished every step; null while it runs or after it was interrupted. */
  finished_at: string | null;
}
