/**
 * Hostile report and lookup texts against the real server (issue 19): a child process runs
 * `src/main.ts` on a loopback port with a fresh SQLite store (its migration seeds the entity
 * registry, so triage's entity matcher runs), and this process fires the characters NFKC expands
 * most — U+FDFA (×18), U+3300 (×4), U+FB03 (×3), mixed —, a text that made a regular
 * expression back-track cubically and texts of thousands of distinct links and phone numbers at
 * `POST /api/v1/reports` and `GET /api/v1/lookup`, all at once, while polling `/healthz`. Before the fix one such report froze the server for minutes.
 *
 * No timing assertion on speed: every health poll must be answered (each may wait
 * HEALTH_TIMEOUT_MS, far above any bounded step and far below the old freeze), and every hostile
 * request must get a proper answer (201, or a 4xx code that names the limit).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../cli.js';

/** How long one health poll may wait: generous for a loaded CI machine, far below the freeze. */
const HEALTH_TIMEOUT_MS = 20_000;

const fill = (unit: string, length: number): string =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** An API answer's status and its error code (null when it has none). */
async function outcomeOf(response: Response): Promise<{ status: number; code: string | null }> {
  const body: unknown = await response.json();
  const code =
    typeof body === 'object' && body !== null && 'error' in body
      ? String(Reflect.get(Object(body.error), 'code'))
      : null;
  return { status: response.status, code };
}

/** Starts the server; resolves with its base URL once it listens. */
async function startServer(dir: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawnServer({
    DATABASE_URL: `sqlite:${path.join(dir, 'scamnet.db')}`,
    DEMO_DATA: 'false',
    REPORT_RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_TOKEN: 'hostile-input-admin-token-0123456789',
    WEB_ROOT: path.join(dir, 'no-web'),
    EVIDENCE_DIR: path.join(dir, 'evidence'),
    LOG_SIGNING_KEY_FILE: path.join(dir, 'log-key.pem'),
    DECISION_LINK_SECRET_FILE: path.join(dir, 'decision-secret'),
    TAKEDOWN_RECHECKS: 'false',
  });
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  // Keep draining the pipes so the child never blocks on a full one.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, baseUrl };
}

describe('hostile texts against the real server', () => {
  let dir = '';
  let server: { child: ChildProcess; baseUrl: string } | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'scamnet-hostile-'));
    server = await startServer(dir);
  });
  afterAll(async () => {
    const child = server?.child;
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // SIGKILL: a server whose event loop is blocked would never run its SIGTERM handler.
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps answering /healthz while the worst expanding texts are reported and looked up', async () => {
    const base = server?.baseUrl ?? '';
    const report = async (text: string): Promise<{ status: number; code: string | null }> => {
      const response = await fetch(`${base}/api/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      return outcomeOf(response);
    };
    const lookup = async (q: string): Promise<{ status: number; code: string | null }> => {
      const response = await fetch(`${base}/api/v1/lookup?q=${encodeURIComponent(q)}`);
      return outcomeOf(response);
    };

    const health: Array<{ ok: boolean; error?: string }> = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        try {
          const response = await fetch(`${base}/healthz`, {
            signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
          });
          health.push({ ok: response.status === 200 });
        } catch (error) {
          health.push({ ok: false, error: String(error) });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const reports = {
      // 20,000 typed characters each, 60,000–360,000 after NFKC: refused, nothing stored.
      fdfa: report(fill('\ufdfa', 20_000)),
      u3300: report(fill('\u3300', 20_000)),
      fb03: report(fill('\ufb03', 20_000)),
      mixed: report(fill('\ufdfa\u3300\ufb03 ', 20_000)),
      // The longest texts of them that fit the limit after NFKC: accepted.
      fdfaFits: report(fill('\ufdfa', 1_111)),
      u3300Fits: report(fill('\u3300', 5_000)),
      fb03Fits: report(fill('\ufb03', 6_666)),
      // `line` + blanks: the LINE ID pattern back-tracked cubically on it.
      lineBlanks: report(`line${' '.repeat(19_990)}!`),
      // Thousands of distinct links and numbers: each one canonicalised, stored and compared.
      links: report(Array.from({ length: 1_900 }, (_, i) => `x${i}.tw/a`).join(' ')),
      phones: report(Array.from({ length: 1_800 }, (_, i) => `09${10_000_000 + i}`).join(' ')),
    };
    // Node reads at most 16 KiB of request line and headers: about 1,800 percent-encoded ﷺ.
    const lookups = {
      fdfa: lookup(fill('\ufdfa', 1_500)),
      mixed: lookup(fill('\ufdfa\u3300\ufb03 ', 1_500)),
      fdfaFits: lookup(fill('\ufdfa', 277)),
      lineBlanks: lookup(`line${' '.repeat(3_000)}!`),
    };
    const reportAnswers = Object.fromEntries(
      await Promise.all(
        Object.entries(reports).map(async ([name, answer]) => [name, await answer] as const),
      ),
    );
    const lookupAnswers = Object.fromEntries(
      await Promise.all(
        Object.entries(lookups).map(async ([name, answer]) => [name, await answer] as const),
      ),
    );
    done = true;
    await poll;

    expect(health.length).toBeGreaterThan(0);
    expect(health.filter((h) => !h.ok)).toEqual([]);
    for (const name of ['fdfa', 'u3300', 'fb03', 'mixed']) {
      expect(reportAnswers[name], name).toEqual({ status: 413, code: 'text_too_long' });
    }
    for (const name of ['fdfaFits', 'u3300Fits', 'fb03Fits', 'lineBlanks', 'links', 'phones']) {
      expect(reportAnswers[name], name).toEqual({ status: 201, code: null });
    }
    expect(lookupAnswers.fdfa).toEqual({ status: 400, code: 'query_too_long' });
    expect(lookupAnswers.mixed).toEqual({ status: 400, code: 'query_too_long' });
    expect(lookupAnswers.fdfaFits).toEqual({ status: 200, code: null });
    expect(lookupAnswers.lineBlanks).toEqual({ status: 200, code: null });
  });
});
