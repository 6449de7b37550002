import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// STYLE.md: repos hold queries only, and a table is written by the capability that owns it
// (others call its functions). Computed from the source of src/.

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Which capability owns (alone writes) each table of src/store/schema*.ts. */
const OWNERS: Readonly<Record<string, readonly string[]>> = {
  cases: ['cases', 'verdicts', 'case_views', 'case_merges'],
  intake: [
    'reports',
    'indicators',
    'case_indicators',
    'case_keys',
    'scanner_ads',
    'stats_pending_cases',
  ],
  triage: ['dedup_texts', 'dedup_bands'],
  search: [
    'search_postings',
    'lookup_changes',
    'hash_lists',
    'hash_list_versions',
    'hash_list_changes',
    'hash_entries',
    'hash_holdings',
    'hash_list_cursor',
  ],
  log: ['events', 'log_head', 'log_leaves', 'log_nodes', 'log_tree_heads'],
  evidence: ['evidence_blobs', 'evidence_blob_contents', 'evidence_captures'],
  identity: [
    'users',
    'user_entities',
    'sessions',
    'api_keys',
    'api_key_entities',
    'shared_secrets',
  ],
  statistics: ['bulletins', 'stats_daily_counts'],
  line: ['line_webhook_events', 'line_users', 'line_report_offers'],
  entities: ['entities', 'routing_rules'],
  verification: ['decision_links'],
  followers: ['case_followers', 'case_follower_deliveries'],
  demo: ['demo_imports'],
  takedown: ['takedown_notices', 'notice_deliveries', 'platform_channels', 'outbox', 'sanctions'],
  blocklist: [
    'blocklist_entries',
    'blocklist_entry_cases',
    'rpz_versions',
    'rpz_changes',
    'feed_indicators',
  ],
};

const QUERY =
  /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql\s*(<[^`]*>)?`/g;
/** A write through the query builder, with its table. */
const BUILDER_WRITE = /\.(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*'(\w+)'/g;
/** The body of an `sql` template: raw SQL is written only there (not in prose or strings). */
const SQL_TEMPLATE = /\bsql\s*(?:<[^`]*>)?`([^`]*)`/g;
/** A write in raw SQL, with its table. */
const RAW_WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+(\w+)\b/gi;

/** The tables `text` writes, with the offset of each write. */
function writesOf(text: string): Array<{ table: string; index: number }> {
  const built = [...text.matchAll(BUILDER_WRITE)].map((m) => ({
    table: (m[1] ?? '').toLowerCase(),
    index: m.index,
  }));
  const raw = [...text.matchAll(SQL_TEMPLATE)].flatMap((template) => {
    const body = template[1] ?? '';
    const start = template.index + template[0].indexOf(body);
    return [...body.matchAll(RAW_WRITE)].map((m) => ({
      table: (m[1] ?? '').toLowerCase(),
      index: start + m.index,
    }));
  });
  return [...built, ...raw].sort((a, b) => a.index - b.index);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(SRC, 'store') ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

const files = sourceFiles(SRC).map((file) => ({
  file: path.relative(SRC, file),
  text: readFileSync(file, 'utf8'),
}));
const owner = new Map(
  Object.entries(OWNERS).flatMap(([folder, tables]) => tables.map((t) => [t, folder] as const)),
);

describe('queries and table ownership in src/', () => {
  it('runs every query from a *.repo.ts file (outside src/store)', () => {
    const outside = files
      .filter(({ file }) => !file.endsWith('.repo.ts'))
      .flatMap(({ file, text }) =>
        [...text.matchAll(QUERY)].map((m) => `${file}:${lineAt(text, m.index)} ${m[0]}`),
      );
    expect(outside).toEqual([]);
  });

  it("writes a table only from its owner's folder", () => {
    const foreign = files.flatMap(({ file, text }) =>
      writesOf(text).flatMap(({ table, index }) => {
        const folder = file.split(path.sep)[0];
        const tableOwner = owner.get(table);
        if (tableOwner === undefined || tableOwner === folder) return [];
        return [`${file}:${lineAt(text, index)} writes ${table} (owned by ${tableOwner})`];
      }),
    );
    expect(foreign).toEqual([]);
  });

  it('finds writes through the builder and in raw SQL, not in prose', () => {
    const source = [
      "await db.updateTable('cases').set({ stage }).execute();",
      'await sql`delete from  verdicts where case_id = ${id}`.execute(db);',
      'await sql<number>`insert into case_keys (key) values (${key})`.execute(db);',
      "program.description('add or update entities from JSON Lines');",
      '// Delete from reports what the insert into cases left.',
    ].join('\n');
    expect(writesOf(source).map((w) => w.table)).toEqual(['cases', 'verdicts', 'case_keys']);
  });

  it('knows the owner of every table the schema declares', () => {
    const schema = readdirSync(path.join(SRC, 'store'))
      .filter((name) => name.startsWith('schema'))
      .map((name) => readFileSync(path.join(SRC, 'store', name), 'utf8'))
      .join('\n');
    const tables = [...schema.matchAll(/^\s+(\w+): \w+Table;/gm)].map((m) => m[1] ?? '');
    expect(tables.length).toBeGreaterThan(30);
    expect(tables.filter((t) => !owner.has(t))).toEqual([]);
  });
});
