/**
 * A first start killed (SIGKILL) during the demo import: the next start completes it, and the
 * store then equals one imported without interruption (same counts, no report twice), and the
 * log audits clean. The embedded SQLite store, each start a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { scamnet } from './cli.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** Rows of each demo file: enough that the import spans several transactions. */
const ROWS = 400;

function envFor(dir: string): Record<string, string> {
  return {
    DATABASE_URL: `sqlite:${path.join(dir, 'scamnet.db')}`,
    LOG_SIGNING_KEY_FILE: path.join(dir, 'log-key.pem'),
    DECISION_LINK_SECRET_FILE: path.join(dir, 'decision-link-secret'),
    ADMIN_TOKEN_FILE: path.join(dir, 'admin-token'),
    EVIDENCE_DIR: path.join(dir, 'evidence'),
    DEMO_DATA: 'true',
    LOG_LEVEL: 'silent',
  };
}

/** Starts the demo import of a first start in a child process. */
function startDemo(dir: string) {
  return spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/demo-start.ts', String(ROWS)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...envFor(dir) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function run(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startDemo(dir);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

const TABLES = [
  'reports',
  'cases',
  'verdicts',
  'blocklist_entries',
  'takedown_notices',
  'users',
  'bulletins',
  'events',
] as const;

/** Row counts of the demo's tables, and reports stored twice under one externalId. */
function countsOf(dir: string): Record<string, number> {
  const db = new SQLite(path.join(dir, 'scamnet.db'), { readonly: true });
  try {
    const count = (query: string): number => (db.prepare(query).get() as { n: number }).n;
    const counts: Record<string, number> = {};
    for (const table of TABLES) counts[table] = count(`select count(*) as n from ${table}`);
    counts.acknowledgedNotices = count(
      'select count(*) as n from takedown_notices where acknowledged_at is not null',
    );
    counts.duplicateReports = count(
      'select count(*) as n from (select source, external_id from reports ' +
        'where external_id is not null group by source, external_id having count(*) > 1)',
    );
    return counts;
  } finally {
    db.close();
  }
}

/** The demo marker's finish time (null while unfinished), or undefined without a marker. */
function markerOf(dir: string): { finished_at: string | null } | undefined {
  const db = new SQLite(path.join(dir, 'scamnet.db'), { readonly: true });
  try {
    return db.prepare("select finished_at from demo_imports where name = 'demo'").get() as
      { finished_at: string | null } | undefined;
  } finally {
    db.close();
  }
}

/** Reports stored so far, 0 before the store exists or is migrated. */
function reportsIn(dir: string): number {
  try {
    const db = new SQLite(path.join(dir, 'scamnet.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('select count(*) as n from reports').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('the first start killed during the demo import', () => {
  it('is completed by the next start, equal to an uninterrupted import', async () => {
    const clean = mkdtempSync(path.join(tmpdir(), 'scamnet-demo-clean-'));
    const killed = mkdtempSync(path.join(tmpdir(), 'scamnet-demo-killed-'));

    const child = startDemo(killed);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    let finished = false;
    void exited.then(() => (finished = true));
    // Kill as soon as some reports are stored (the first file's transaction has committed).
    while (!finished && reportsIn(killed) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const partial = countsOf(killed);
    expect(partial.reports).toBeGreaterThan(0);
    expect(markerOf(killed)).toEqual({ finished_at: null });

    const resumed = await run(killed);
    expect(resumed.stderr).toBe('');
    expect(JSON.parse(resumed.stdout)).toEqual({ resumed: true });
    expect(markerOf(killed)?.finished_at).toEqual(expect.any(String));

    const uninterrupted = await run(clean);
    expect(JSON.parse(uninterrupted.stdout)).toEqual({ resumed: false });
    const expected = countsOf(clean);
    expect(expected.reports).toBeGreaterThan(partial.reports ?? 0);
    expect(expected.takedown_notices).toBeGreaterThan(0);
    expect(expected.bulletins).toBe(1);
    expect(expected.duplicateReports).toBe(0);
    const { events: cleanEvents, ...cleanRest } = expected;
    const { events: resumedEvents, ...resumedRest } = countsOf(killed);
    expect(resumedRest).toEqual(cleanRest);
    // The resumed store logged nothing twice (the killed start's work was rolled back or kept).
    expect(resumedEvents).toBe(cleanEvents);

    // A third start does nothing.
    expect(JSON.parse((await run(killed)).stdout)).toEqual({ resumed: null });

    const audit = await scamnet(['log', 'audit'], envFor(killed));
    expect(audit.stdout).toMatch(/^ok {2}\d+ leaves/m);
    expect(audit.code).toBe(0);
  }, 300_000);
});
