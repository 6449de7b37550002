/**
 * kill -9 during intake loses nothing acknowledged (issue 17). A child process — the server
 * (`scamnet serve`) under 24 concurrent clients, or `scamnet import` of a file of many batches —
 * is killed with SIGKILL at seeded moments, several times on one store, and after each kill:
 * - every report acknowledged before it (a 201 with its report and case IDs; every row up to the
 *   line of the import's last `committed R rows through line L`) is stored, with its case;
 * - nothing is half-written: every case has its reports, its report count, one `case.created`
 *   event and its triage; the daily statistics count every report and case once; every event is
 *   a leaf of the log once a sequencer has run after the kill (the restarted server integrates
 *   before it listens; after a killed import, `scamnet log integrate`), so events committed but
 *   not yet sequenced when the process died are not lost;
 * and at the end the import completes with no row twice and `scamnet log audit` verifies.
 * SQLite always, PostgreSQL when TEST_DATABASE_URL is set. No timing assertion: the moments are
 * counts of acknowledgements and fractions of the last batch's duration.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { generateLogKeyPem } from '../../src/log/index.js';
import type { Database } from '../../src/store/index.js';
import { createStore, migrateToLatest, type Dialect } from '../../src/store/index.js';
import { scamnet, startScamnet, type RunningCli } from '../cli.js';
import { createTestSchema, withSchemaLock } from '../harness.js';
import { seededRandom } from '../seeded-random.js';

/** Concurrent API clients. */
const CLIENTS = 24;
/**
 * One seed per kill (distinct 32-bit values: xoroshiro128+'s first draw from small seeds such as
 * 1, 2, 3 is ≈ 1 for all of them). Three kills of the server, two of an import.
 */
const SERVER_SEEDS = [0x5eedc4a5, 0x2f6b1d93, 0x7a3c9e51];
const IMPORT_SEEDS = [0x3b9d27e1, 0x6c1f4a87];
/** The source name of the imported rows (the namespace of their externalIds). */
const IMPORT_SOURCE = 'crash-feed';
/**
 * Rows an import round adds before its kill: one transaction on SQLite (IMPORT_BATCH_SIZE), four
 * on PostgreSQL (IMPORT_BATCH_SIZE_POSTGRES, 25). The file holds one per kill and two more.
 */
const IMPORT_STEP: Record<Dialect, number> = { sqlite: 500, postgres: 100 };

/** Words the reports are made of, so their texts differ and some merge as near-duplicates. */
const WORDS = [
  '投資',
  '飆股',
  '老師',
  '帶單',
  '保證獲利',
  '加LINE',
  '群組',
  '限時',
  '免費',
  '領取',
  '明牌',
  '穩賺',
  '虛擬貨幣',
  '出金',
  '客服',
  'USDT',
  'guaranteed',
  'profit',
  'crypto',
  'signal',
  'VIP',
  'bonus',
  'withdraw',
  'mentor',
];

function textOf(rand: () => number, marker: string): string {
  const words = Array.from({ length: 10 }, () => WORDS[Math.floor(rand() * WORDS.length)]);
  return `${words.join(' ')} ${marker}`;
}

/** A store the children share, the environment they run with, and a handle of this process's. */
interface CrashStore {
  env: Record<string, string>;
  db: Kysely<Database>;
  /** Runs a child that opens (and so migrates) the store: under the schema lock on PostgreSQL. */
  locked: <T>(work: () => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
}

async function crashStore(dialect: Dialect): Promise<CrashStore> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-crash-'));
  const env: Record<string, string> = {
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    REPORT_RATE_LIMIT_PER_MINUTE: '0',
    API_RATE_LIMIT_PER_MINUTE: '0',
    LOG_SIGNING_KEY: generateLogKeyPem(),
    DECISION_LINK_SECRET: randomBytes(24).toString('hex'),
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    WEB_ROOT: path.join(dir, 'no-web'),
    EVIDENCE_DIR: path.join(dir, 'evidence'),
    TAKEDOWN_RECHECKS: 'false',
  };
  if (dialect === 'sqlite') {
    env.DATABASE_URL = `sqlite:${path.join(dir, 'scamnet.db')}`;
    const store = createStore(loadConfig(env, dir).store);
    await migrateToLatest(store.db);
    return {
      env,
      db: store.db,
      locked: (work) => work(),
      close: async () => {
        await store.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { schema, databaseUrl, drop } = await createTestSchema();
  env.DATABASE_URL = databaseUrl;
  const store = createStore(
    { dialect: 'postgres', connectionString: process.env.TEST_DATABASE_URL ?? '' },
    { searchPath: schema },
  );
  await withSchemaLock('shared', () => migrateToLatest(store.db));
  return {
    env,
    db: store.db,
    locked: (work) => withSchemaLock('shared', work),
    close: async () => {
      await store.destroy();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kills `running` with SIGKILL (if still running) and waits for it to be gone. */
async function kill(running: RunningCli): Promise<NodeJS.Signals | null> {
  running.child.kill('SIGKILL');
  return (await running.done).signal;
}

/** Starts the server on the store; resolves once it listens, with its base URL. */
async function startServer(store: CrashStore): Promise<{ running: RunningCli; base: string }> {
  return store.locked(async () => {
    // `info`: the line that says where it listens (PORT=0) is an info line.
    const running = startScamnet(['serve'], { ...store.env, LOG_LEVEL: 'info' });
    running.child.stdin.end();
    let output = '';
    const base = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: string): void => {
        output += chunk;
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] !== undefined) {
          running.child.stdout.off('data', onData);
          running.child.stderr.off('data', onData);
          resolve(match[1]);
        }
      };
      running.child.stdout.on('data', onData);
      running.child.stderr.on('data', onData);
      void running.done.then((r) => reject(new Error(`server exited (${r.code}): ${output}`)));
    });
    return { running, base };
  });
}

/** The number `n` one query's first row holds, as a number on both dialects (0 for null). */
async function count(db: Kysely<Database>, query: RawBuilder<unknown>): Promise<number> {
  const { rows } = await query.execute(db);
  const first = rows[0] as { n: number | string | null } | undefined;
  return Number(first?.n ?? 0);
}

/**
 * Expects nothing half-written: every case has its reports, its report count, one
 * `case.created` event and its triage; the daily statistics count every report and new case
 * once, none held back; every event is a leaf of the log and the log head counts them.
 */
async function expectWhole(db: Kysely<Database>): Promise<void> {
  const reports = await count(db, sql`select count(*) as n from reports`);
  const cases = await count(db, sql`select count(*) as n from cases`);
  const events = await count(db, sql`select count(*) as n from events`);
  expect(reports).toBeGreaterThan(0);
  expect({
    reportsWithoutCase: await count(
      db,
      sql`select count(*) as n from reports r where not exists (select 1 from cases c where c.id = r.case_id)`,
    ),
    casesWithoutReports: await count(
      db,
      sql`select count(*) as n from cases c where not exists (select 1 from reports r where r.case_id = c.id)`,
    ),
    wrongReportCounts: await count(
      db,
      sql`select count(*) as n from cases c
          where c.report_count <> (select count(*) from reports r where r.case_id = c.id)`,
    ),
    casesWithoutOneCreation: await count(
      db,
      sql`select count(*) as n from cases c
          where (select count(*) from events e
                 where e.type = 'case.created' and e.subject_id = c.id) <> 1`,
    ),
    untriaged: await count(db, sql`select count(*) as n from cases where triaged_at is null`),
    reportsCounted: await count(
      db,
      sql`select sum(count) as n from stats_daily_counts where fact = 'report'`,
    ),
    casesCounted: await count(
      db,
      sql`select sum(count) as n from stats_daily_counts where fact = 'new_case'`,
    ),
    heldCounts: await count(db, sql`select count(*) as n from stats_pending_cases`),
    leaves: await count(db, sql`select count(*) as n from log_leaves`),
    logSize: await count(db, sql`select tree_size as n from log_head`),
  }).toEqual({
    reportsWithoutCase: 0,
    casesWithoutReports: 0,
    wrongReportCounts: 0,
    casesWithoutOneCreation: 0,
    untriaged: 0,
    reportsCounted: reports,
    casesCounted: cases,
    heldCounts: 0,
    leaves: events,
    logSize: events,
  });
}

/**
 * `scamnet log integrate` on the store: the sequencer of a new process appends what the killed
 * one committed and did not sequence.
 */
async function integrate(store: CrashStore): Promise<void> {
  const run = await store.locked(() => scamnet(['log', 'integrate'], store.env));
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ integrated: expect.any(Number) });
}

/** `scamnet log audit` on the store: it must verify every leaf. */
async function expectAuditOk(store: CrashStore): Promise<void> {
  const audit = await store.locked(() => scamnet(['log', 'audit'], store.env));
  expect(audit.stdout, audit.stderr).toMatch(/^ok {2}\d+ leaves/m);
  expect(audit.code, audit.stdout + audit.stderr).toBe(0);
}

/** A report the server answered 201 to. */
interface Acknowledged {
  marker: string;
  reportId: string;
  caseId: string;
}

/**
 * Runs one round against a started server: CLIENTS clients report distinct texts and URLs until
 * `target` reports are acknowledged in all, and a seeded number of requests more are in flight;
 * then the server is killed. Each 201 is added to `acked`.
 */
async function reportUntilKilled(
  server: { running: RunningCli; base: string },
  rand: () => number,
  round: string,
  target: number,
  acked: Acknowledged[],
): Promise<{ signal: NodeJS.Signals | null; refused: string[]; output: string }> {
  let stopped = false;
  let next = 0;
  const refused: string[] = [];
  let killing: Promise<NodeJS.Signals | null> | undefined;
  const client = async (): Promise<void> => {
    while (!stopped) {
      next += 1;
      const marker = `crash-${round}-${next}-${randomBytes(4).toString('hex')}`;
      try {
        const response = await fetch(`${server.base}/api/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            text: textOf(rand, marker),
            url: `https://${marker}.example.com/offer/${next}`,
          }),
        });
        const body: unknown = await response.json();
        if (response.status !== 201) {
          refused.push(`${response.status} ${JSON.stringify(body)}`);
          continue;
        }
        const { report, case: caseView } = body as { report: { id: string }; case: { id: string } };
        acked.push({ marker, reportId: report.id, caseId: caseView.id });
        if (acked.length >= target) killing ??= kill(server.running);
      } catch {
        // The server is gone (or going): whatever was not answered 201 was not acknowledged.
        stopped = true;
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, () => client());
  await Promise.all(clients);
  const signal = await (killing ?? server.running.done.then((r) => r.signal));
  const { stdout, stderr } = await server.running.done;
  return { signal, refused, output: stdout + stderr };
}

/** Expects every acknowledged report stored, with its text, in the case it was answered with. */
async function expectAcknowledgedStored(
  db: Kysely<Database>,
  acked: readonly Acknowledged[],
): Promise<void> {
  const stored = new Map<string, { case_id: string; text: string | null }>();
  for (let i = 0; i < acked.length; i += 500) {
    const ids = acked.slice(i, i + 500).map((a) => a.reportId);
    const rows = await db
      .selectFrom('reports')
      .select(['id', 'case_id', 'text'])
      .where('id', 'in', ids)
      .execute();
    for (const row of rows) stored.set(row.id, row);
  }
  const lost = acked.filter((a) => {
    const row = stored.get(a.reportId);
    return row === undefined || row.case_id !== a.caseId || !(row.text ?? '').includes(a.marker);
  });
  expect(lost, `${lost.length} of ${acked.length} acknowledged reports lost`).toEqual([]);
}

/** The rows of the import file, URLs: line i (from 1) has externalId `row-i`. */
function writeImportFile(dir: string, rows: number): string {
  const file = path.join(dir, 'rows.jsonl');
  const lines = Array.from({ length: rows }, (_, i) =>
    JSON.stringify({
      url: `https://import-${i + 1}.example.com/offer`,
      externalId: `row-${i + 1}`,
      receivedAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
    }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Runs `scamnet import` and kills it at a seeded moment once it has acknowledged `target` rows:
 * a seeded fraction of the time since the line before (the last batch's duration) later, so
 * within the next batch. Returns the last line acknowledged
 * (`committed R rows through line L`) and the signal it ended by.
 */
async function importUntilKilled(
  store: CrashStore,
  file: string,
  rand: () => number,
  target: number,
): Promise<{ throughLine: number; signal: NodeJS.Signals | null; output: string }> {
  return store.locked(async () => {
    const running = startScamnet(['import', file, '--source', IMPORT_SOURCE], store.env);
    running.child.stdin.end();
    let throughLine = 0;
    let lastAt: number | undefined;
    let pending = '';
    let killing: Promise<unknown> | undefined;
    running.child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^committed (\d+) rows through line (\d+)$/.exec(line);
        if (match === null) continue;
        const now = Date.now();
        const took = lastAt === undefined ? 0 : now - lastAt;
        lastAt = now;
        throughLine = Math.max(throughLine, Number(match[2]));
        if (killing === undefined && Number(match[1]) >= target) {
          killing = new Promise((resolve) => setTimeout(resolve, rand() * 0.5 * took)).then(() =>
            running.child.kill('SIGKILL'),
          );
        }
      }
    });
    const { signal, stdout, stderr } = await running.done;
    return { throughLine, signal, output: stdout + stderr };
  });
}

/** The externalIds of the imported rows stored, and how many rows hold them. */
async function importedIds(db: Kysely<Database>): Promise<{ ids: Set<string>; rows: number }> {
  const rows = await db
    .selectFrom('reports')
    .select('external_id')
    .where('source', '=', IMPORT_SOURCE)
    .execute();
  return { ids: new Set(rows.map((r) => r.external_id ?? '')), rows: rows.length };
}

function crashSuite(dialect: Dialect): void {
  const stores: CrashStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
  });
  const open = async (): Promise<CrashStore> => {
    const store = await crashStore(dialect);
    stores.push(store);
    return store;
  };

  it('a server killed under concurrent reports keeps every acknowledged one', async () => {
    const store = await open();
    const acked: Acknowledged[] = [];
    let server = await startServer(store);
    for (const [round, seed] of SERVER_SEEDS.entries()) {
      const rand = seededRandom(seed);
      const target = acked.length + 20 + Math.floor(rand() * 60);
      const run = await reportUntilKilled(server, rand, `r${round}`, target, acked);
      expect(run.signal, `seed ${seed}: ${run.output.slice(-2_000)}`).toBe('SIGKILL');
      expect(run.refused).toEqual([]);
      expect(acked.length).toBeGreaterThanOrEqual(target);
      server = await startServer(store);
      await expectAcknowledgedStored(store.db, acked);
      await expectWhole(store.db);
    }
    await kill(server.running);
    await expectAuditOk(store);
  }, 300_000);

  it('an import killed mid-batch keeps every committed batch and completes when run again', async () => {
    const store = await open();
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-crash-file-'));
    try {
      const step = IMPORT_STEP[dialect];
      const total = step * (IMPORT_SEEDS.length + 2);
      const file = writeImportFile(dir, total);
      let acknowledged = 0;
      for (const [round, seed] of IMPORT_SEEDS.entries()) {
        // Past the rows of the rounds before (the line before it is a new batch's, whose
        // duration the kill's moment is drawn in), and killed within the next batch.
        const target = step * (round + 2);
        const rand = seededRandom(seed);
        const run = await importUntilKilled(store, file, rand, target);
        expect(run.signal, `seed ${seed}: ${run.output.slice(-2_000)}`).toBe('SIGKILL');
        expect(run.throughLine).toBeGreaterThanOrEqual(target);
        acknowledged = Math.max(acknowledged, run.throughLine);
        const { ids } = await importedIds(store.db);
        const lost = Array.from({ length: acknowledged }, (_, i) => `row-${i + 1}`).filter(
          (id) => !ids.has(id),
        );
        expect(lost, `${lost.length} of ${acknowledged} acknowledged rows lost`).toEqual([]);
        await integrate(store);
        await expectWhole(store.db);
      }
      const before = await importedIds(store.db);
      expect(before.rows).toBeLessThan(total);
      const last = await store.locked(() =>
        scamnet(['import', file, '--source', IMPORT_SOURCE], store.env),
      );
      expect(last.code, last.stderr).toBe(0);
      expect(last.stdout).toMatch(
        new RegExp(
          `: ${total - before.rows} accepted, \\d+ new cases, ` +
            `${before.rows} already imported, 0 rejected\n$`,
        ),
      );
      const after = await importedIds(store.db);
      expect(after.rows).toBe(total);
      expect(after.ids.size).toBe(total);
      await expectWhole(store.db);
      await expectAuditOk(store);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
}

describe('kill -9 during intake, on SQLite', () => {
  crashSuite('sqlite');
});

describe.skipIf(process.env.TEST_DATABASE_URL === undefined)(
  'kill -9 during intake, on PostgreSQL',
  () => {
    crashSuite('postgres');
  },
);
