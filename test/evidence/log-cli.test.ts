/**
 * `scamnet log sth | verify | audit` as a platform, court or auditor would run them: API answers
 * saved to files and verified offline; the audit over the store. SQLite in a temporary folder.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDeps } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/index.js';

import { createLogger } from '../../src/shared/logger.js';
import { scamnet } from '../cli.js';
import { buildApp, type ScamnetApp } from '../../src/app/index.js';
import { integrateLog, recordEvent } from '../../src/log/index.js';
import type { ServiceDeps } from '../../src/shared/deps.js';

describe('scamnet log CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-log-cli-'));
  const env = {
    DATABASE_URL: `sqlite:${path.join(dir, 'log.db')}`,
    // The CLI runs as another node of this store: it holds the same secrets (shareSecrets).
    LOG_SIGNING_KEY_FILE: path.join(dir, 'log-key.pem'),
    DECISION_LINK_SECRET_FILE: path.join(dir, 'decision-link-secret'),
    ADMIN_TOKEN: 'cli-admin-token-0123456789abcdef',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
  };
  let app: ScamnetApp;
  let deps: ServiceDeps;
  let close: () => Promise<void>;
  const save = (name: string, body: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(body));
    return file;
  };
  const get = async (url: string): Promise<unknown> =>
    (await app.inject({ method: 'GET', url })).json();

  /** Logs the `i`th verdict event, at `at`, and integrates it into the log (signing nothing). */
  const append = async (i: number, at = '2026-11-29T03:00:00.000Z'): Promise<void> => {
    await deps.db.transaction().execute((trx) =>
      recordEvent(trx, {
        type: 'case.verdict',
        subjectType: 'case',
        subjectId: `CCLI${i}`,
        actor: 'admin:token',
        at,
        data: { after: { verdict: 'fraud', i } },
      }),
    );
    // Unsigned: the tree heads signed are those the test asks the API for.
    await integrateLog(deps, { sign: false });
  };

  beforeAll(async () => {
    const config = loadConfig(env, dir);
    const opened = await openDeps(config, { log: createLogger('silent') });
    close = opened.close;
    deps = opened.deps;
    app = await buildApp({ deps: opened.deps, adminToken: env.ADMIN_TOKEN });
    for (let i = 0; i < 12; i += 1) {
      await append(i, '2026-11-29T02:00:00.000Z');
      if (i === 4) save('old-sth.json', await get('/api/v1/log/sth'));
    }
  });
  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  it('verifies saved tree heads and proofs offline, and rejects a tampered one', async () => {
    const key = save('key.json', await get('/api/v1/log/key'));
    const sth = save('sth.json', await get('/api/v1/log/sth'));
    const inclusion = save('inclusion.json', await get('/api/v1/log/proof/inclusion?leaf=3'));
    const entries = (await get('/api/v1/log/entries?start=3&end=3')) as { entries: unknown[] };
    const entry = save('entry.json', entries.entries[0]);
    const consistency = save(
      'consistency.json',
      await get('/api/v1/log/proof/consistency?first=5'),
    );
    const ok = await scamnet(
      [
        'log',
        'verify',
        '--key',
        key,
        '--sth',
        path.join(dir, 'old-sth.json'),
        '--sth',
        sth,
        '--inclusion',
        inclusion,
        '--entry',
        entry,
        '--consistency',
        consistency,
      ],
      {},
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok +inclusion of leaf 3 in tree of size 12/m);
    expect(ok.stdout).toMatch(/^ok +consistency of tree size 5 with 12/m);
    expect(ok.stdout).not.toMatch(/FAIL/);

    const forged = entries.entries[0] as { leafInput: string };
    const tampered = save('tampered.json', {
      ...forged,
      leafInput: forged.leafInput.replace('fraud', 'not_fraud'),
    });
    const bad = await scamnet(
      ['log', 'verify', '--key', key, '--inclusion', inclusion, '--entry', tampered],
      {},
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL +entry 3/m);

    const garbage = save('garbage.json', { hello: 'world' });
    const unreadable = await scamnet(['log', 'verify', '--key', key, '--sth', garbage], {});
    expect(unreadable.code).toBe(65);
  });

  it('prints the signed tree head and audits the whole log', async () => {
    const sth = await scamnet(['log', 'sth'], env);
    expect(sth.code).toBe(0);
    expect(JSON.parse(sth.stdout)).toMatchObject({ treeSize: 12 });
    const audit = await scamnet(['log', 'audit'], env);
    expect(audit.stdout).toMatch(/^ok {2}12 leaves, \d+ nodes, 2 signed tree heads checked/m);
    expect(audit.code).toBe(0);
  });

  it('audits the fixed tree head it is given: --size and --root', async () => {
    const old = JSON.parse(readFileSync(path.join(dir, 'old-sth.json'), 'utf8')) as {
      treeSize: number;
      rootHash: string;
    };
    const ok = await scamnet(
      ['log', 'audit', '--size', String(old.treeSize), '--root', old.rootHash],
      env,
    );
    expect(ok.stdout).toMatch(new RegExp(`^tree head audited: size 5, root ${old.rootHash}`, 'm'));
    expect(ok.stdout).toMatch(/^ok {2}5 leaves, \d+ nodes, 1 signed tree heads checked/m);
    expect(ok.code).toBe(0);
    const wrong = await scamnet(['log', 'audit', '--size', '6', '--root', old.rootHash], env);
    expect(wrong.stdout).toMatch(/^FAIL {2}tree head of size 6: root .* is not the recomputed/m);
    expect(wrong.code).toBe(1);
    const beyond = await scamnet(['log', 'audit', '--size', '9999'], env);
    expect(beyond.stderr).toMatch(/cannot audit a tree of 9999 leaves/);
    expect(beyond.code).toBe(65);
  });

  it('does not fail while another writer appends and signs tree heads', async () => {
    // Enough leaves that the audit takes a while, then a writer busy until the audit has exited.
    await deps.db.transaction().execute(async (trx) => {
      for (let i = 100; i < 6_100; i += 1) {
        await recordEvent(trx, {
          type: 'case.verdict',
          subjectType: 'case',
          subjectId: `CCLI${i}`,
          actor: 'admin:token',
          at: '2026-11-29T03:00:00.000Z',
          data: { after: { verdict: 'fraud', i } },
        });
      }
    });
    await integrateLog(deps);
    let done = false;
    const audit = scamnet(['log', 'audit'], env).finally(() => (done = true));
    let written = 0;
    while (!done) {
      await append(10_000 + written);
      written += 1;
      if (written % 10 === 0) await get('/api/v1/log/sth');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const result = await audit;
    expect(written).toBeGreaterThan(0);
    expect(result.stdout).not.toMatch(/FAIL/);
    expect(result.stdout).toMatch(/^ok {2}\d+ leaves/m);
    expect(result.code).toBe(0);
  });
});
