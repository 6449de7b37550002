import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectDataError, scamnet } from './cli.js';

describe('scamnet CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-cli-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}` };

  it('migrates, imports with a summary and bad lines, and looks up', async () => {
    const migrate = await scamnet(['db', 'migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/sqlite/);

    const input = path.join(dir, 'in.jsonl');
    writeFileSync(input, '{"url":"http://cli-scam.example.com/win"}\n{"url":"::::"}\n');
    const imported = await scamnet(['import', input], env);
    expect(imported.code).toBe(65);
    expect(imported.stdout).toMatch(/1 accepted, 1 new cases, 0 already imported, 1 rejected/);
    expect(imported.stderr).toMatch(/line 2: invalid_url/);

    const found = await scamnet(['lookup', 'cli-scam.example.com/win?utm_source=x'], env);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({
      found: true,
      cases: [{ reportCount: 1, status: 'processing' }],
    });

    expectDataError(await scamnet(['lookup', 'http://'], env), /invalid_url/);

    expectDataError(await scamnet(['import', path.join(dir, 'nope.csv')], env), /file_not_found/);
  });

  it('lists every invalid variable and exits 78', async () => {
    const res = await scamnet(['db', 'migrate'], { DATABASE_URL: 'mysql://x', PORT: 'abc' });
    expect(res.code).toBe(78);
    expect(res.stderr).toMatch(/DATABASE_URL/);
    expect(res.stderr).toMatch(/PORT/);
  });
});
