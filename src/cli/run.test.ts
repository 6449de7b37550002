import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT, withDeps } from './run.js';

describe('withDeps', () => {
  let dir: string;
  let stderr: string[];
  const saved = { url: process.env.DATABASE_URL, exitCode: process.exitCode };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'scamnet-cli-run-'));
    process.env.DATABASE_URL = `sqlite:${path.join(dir, 'store.db')}`;
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved.url;
    process.exitCode = saved.exitCode;
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports once a store failure that also fails integrating the log, with the command's exit status", async () => {
    await withDeps(async (deps) => {
      await deps.db.destroy();
      await deps.db.selectFrom('events').select('seq').execute();
    });
    const lines = stderr
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('scamnet: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/destroyed/);
    expect(process.exitCode).toBe(EXIT.failure);
  });

  it('reports a failure of the log alone when the command itself succeeded', async () => {
    await withDeps(async (deps) => {
      await deps.db.destroy();
    });
    const lines = stderr
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('scamnet: '));
    expect(lines).toHaveLength(1);
    expect(process.exitCode).toBe(EXIT.failure);
  });
});
