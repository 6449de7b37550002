import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { Migrator, sql } from 'kysely';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  activateEntry,
  currentZone,
  importEntries,
  listEntries,
  proposeEntry,
  readBlocklistFile,
  renderRpzZoneText,
  rpzNameRefusal,
  rpzNameSet,
  storedZone,
  transitionEntry,
  zoneDiffSince,
  zoneOmissions,
  type BlocklistImportRow,
  type BlocklistEntry,
} from '../../src/blocklist/index.js';
import { loadConfig } from '../../src/config/index.js';

import type { ServiceDeps } from '../../src/shared/deps.js';
import { createStore, type Dialect } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import {
  adminHeaders,
  createTestContext,
  createUser,
  loginAs,
  testDatabase,
  testDialects,
  type TestContext,
  useTestApp,
  useTestContext,
  withSchemaLock,
  withTempDir,
} from '../harness.js';
import { admin, DISPOSITION, UNIT } from './entries.js';
import { insertLegacyEntry } from './legacy-entry.js';
import { haveTools } from './tools.js';
import { postReport } from '../factories.js';

/** A valid host name (247 octets) too long for `*.` + it + `.rpz.scamnet`. */
const LONG = `${['a', 'b', 'c', 'd'].map((c) => c.repeat(60)).join('.')}.com`;
/** 151 octets: fits under rpz.scamnet, not under LONG_ORIGIN. */
const MEDIUM = `${'m'.repeat(63)}.${'n'.repeat(63)}.${'q'.repeat(16)}.com.tw`;
const LONG_ORIGIN = `${'o'.repeat(60)}.${'p'.repeat(30)}.rpz.scamnet`;

/**
 * Entries as a database written before the guard's current rules may hold them (inserted with
 * SQL, around the service), each with the rule that must keep it out of the zone.
 */
const STORED_BEFORE_FIX: readonly (readonly [string, string])[] = [
  ['1.0.0.0.0.rpz-ip', 'rpz_label'],
  ['1.0.0.0.128.rpz-ip', 'rpz_label'],
  ['32.1.0.0.127.rpz-client-ip', 'rpz_label'],
  ['org.rpz-nsdname', 'rpz_label'],
  ['ns1.example.org.rpz-nsdname', 'rpz_label'],
  ['example.com.rpz-passthru', 'rpz_label'],
  ['scam-shop.test', 'unknown_tld'],
  ['*.wild.com.tw', 'invalid_domain'],
  ['a..b.com.tw', 'invalid_domain'],
  ['Upper-Case.com.tw', 'invalid_domain'],
  ['bad;name.com.tw', 'invalid_domain'],
  ['com.tw', 'public_suffix'],
  ['facebook.com', 'platform'],
  ['1.0.0.127.in-addr.arpa', 'unknown_tld'],
];

/** Writes an entry row with SQL, as an older version (or a hand edit) could have left it. */
const insertRaw = (
  deps: ServiceDeps,
  domain: string,
  state: 'active' | 'proposed',
  treeKey: 'none' | 'computed' = 'computed',
): Promise<string> =>
  insertLegacyEntry(deps.db, {
    domain,
    state,
    treeKey,
    at: new Date(deps.clock.now()).toISOString(),
    legalBasis: DISPOSITION,
    requestingUnit: UNIT,
  });

async function block(deps: ServiceDeps, domain: string, expiresAt?: string): Promise<void> {
  const open = await openEntry(deps, domain);
  if (open?.state === 'active') return;
  if (open?.state === 'appealed') {
    await transitionEntry(deps, admin, open.id, 'reinstate', undefined);
    return;
  }
  const entry = open ?? (await proposeEntry(deps, admin, { domain }));
  await activateEntry(deps, admin, entry.id, {
    legalBasis: DISPOSITION,
    requestingUnit: UNIT,
    expiresAt,
  });
}

async function openEntry(deps: ServiceDeps, domain: string): Promise<BlocklistEntry | undefined> {
  const entries = await listEntries(deps, admin, { domain, limit: 100 });
  return entries.find((e) => ['proposed', 'active', 'appealed'].includes(e.state));
}

/** A capturing logger: the `msg` of every record at warn or above. */
function capturingLog(): { log: ServiceDeps['log']; warnings: unknown[] } {
  const warnings: unknown[] = [];
  const log = pino(
    { level: 'warn' },
    {
      write: (line: string) => {
        warnings.push(JSON.parse(line));
      },
    },
  );
  return { log, warnings };
}

const X = 'nested-shop.com.tw';
const NAMES = [
  X,
  `b.${X}`,
  `a.b.${X}`,
  `deep.a.b.${X}`,
  `c.b.${X}`,
  `www.${X}`,
  'other-scam.com',
  'a.other-scam.com',
  'scam.github.io',
  'a.scam.github.io',
] as const;
/** Refused names that may nevertheless be active in an old database. */
const HOSTILE = ['1.0.0.0.0.rpz-ip', 'org.rpz-nsdname', 'github.io', `x.rpz-ip.${X}`, 'com.tw'];

type Op =
  | { kind: 'activate' | 'lift' | 'appeal' | 'expiring'; name: string }
  | { kind: 'batch'; names: string[] }
  | { kind: 'tick' }
  | { kind: 'hostile'; name: string; keyed: boolean };

const name = fc.constantFrom(...NAMES);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('activate' as const), name }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('lift' as const), name }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('appeal' as const), name }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expiring' as const), name }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      names: fc.uniqueArray(name, { minLength: 2, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hostile' as const),
      name: fc.constantFrom(...HOSTILE),
      keyed: fc.boolean(),
    }),
  },
);

async function apply(ctx: TestContext, step: Op): Promise<void> {
  const { deps } = ctx;
  switch (step.kind) {
    case 'activate':
      return block(deps, step.name);
    case 'expiring':
      if ((await openEntry(deps, step.name)) !== undefined) return;
      return block(deps, step.name, new Date(deps.clock.now() + 3_600_000).toISOString());
    case 'lift': {
      const open = await openEntry(deps, step.name);
      if (open !== undefined) await transitionEntry(deps, admin, open.id, 'lift', 'test');
      return;
    }
    case 'appeal': {
      const open = await openEntry(deps, step.name);
      if (open?.state === 'active') await transitionEntry(deps, admin, open.id, 'appeal', 'test');
      return;
    }
    case 'batch': {
      const names = step.names;
      async function* rows(): AsyncGenerator<BlocklistImportRow> {
        let line = 0;
        for (const domain of names) {
          line += 1;
          yield {
            line,
            entry: { domain, legalBasis: DISPOSITION, requestingUnit: UNIT, source: 'batch' },
            activation: {},
          };
        }
      }
      await importEntries(deps, admin, rows());
      return;
    }
    case 'tick':
      ctx.clock.advance(2 * 3_600_000);
      return;
    case 'hostile':
      if ((await openEntry(deps, step.name)) !== undefined) return;
      await insertRaw(deps, step.name, 'active', step.keyed ? 'computed' : 'none');
      return;
  }
}

async function activeDomains(deps: ServiceDeps): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('blocklist_entries')
    .select('domain')
    .where('state', '=', 'active')
    .execute();
  return rows.map((r) => r.domain);
}

const rules = (deps: ServiceDeps) => ({
  origin: deps.config.blocklist.rpzOrigin,
  protectedDomains: deps.config.blocklist.protectedDomains,
});

describe.each(testDialects())('the RPZ zone on %s', (dialect: Dialect) => {
  it('IXFR from any earlier serial reproduces the AXFR set, over random changes of nested names', async () => {
    let incremental = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const ctx = await createTestContext(dialect);
        try {
          const history: { serial: number; domains: readonly string[] }[] = [];
          const record = async (): Promise<void> => {
            const zone = await currentZone(ctx.deps);
            // AXFR carries exactly the published set of the active entries.
            const expected = rpzNameSet(await activeDomains(ctx.deps), (d) =>
              rpzNameRefusal(d, rules(ctx.deps)),
            ).domains;
            expect(zone.domains).toEqual(expected);
            history.push({ serial: zone.serial, domains: zone.domains });
          };
          await record();
          for (const step of ops) {
            ctx.clock.advance(1000);
            await apply(ctx, step);
            await record();
          }
          const final = history.at(-1);
          if (final === undefined) throw new Error('no zone recorded');
          for (const { serial, domains } of history) {
            const diff = await zoneDiffSince(ctx.deps, serial);
            if (diff.kind === 'up_to_date') {
              expect(domains).toEqual(final.domains);
              continue;
            }
            if (diff.kind === 'full') {
              expect(diff.snapshot.domains).toEqual(final.domains);
              continue;
            }
            incremental += 1;
            const before = new Set(domains);
            for (const d of diff.deleted) expect(before.has(d), `deleted ${d}`).toBe(true);
            for (const d of diff.added) expect(before.has(d), `added ${d}`).toBe(false);
            const after = new Set([...domains].filter((d) => !diff.deleted.includes(d)));
            for (const d of diff.added) after.add(d);
            expect([...after].sort(), `IXFR from ${serial} (${JSON.stringify(ops)})`).toEqual(
              final.domains,
            );
          }
        } finally {
          await ctx.close();
        }
      }),
      { numRuns: dialect === 'postgres' ? 10 : 25 },
    );
    expect(incremental).toBeGreaterThan(10);
  }, 600_000);

  it('nested entries: X with a.b.X publishes X alone; lifting X publishes a.b.X again, in the IXFR too', async () => {
    const ctx = await createTestContext(dialect);
    try {
      await block(ctx.deps, `a.b.${X}`);
      const z1 = await currentZone(ctx.deps);
      expect(z1.domains).toEqual([`a.b.${X}`]);
      ctx.clock.advance(1000);
      await block(ctx.deps, X);
      const z2 = await currentZone(ctx.deps);
      expect(z2.domains).toEqual([X]);
      expect(await zoneDiffSince(ctx.deps, z1.serial)).toMatchObject({
        kind: 'incremental',
        deleted: [`a.b.${X}`],
        added: [X],
      });
      ctx.clock.advance(1000);
      const entry = await openEntry(ctx.deps, X);
      await transitionEntry(ctx.deps, admin, entry?.id ?? '', 'lift', 'appeal upheld');
      const z3 = await currentZone(ctx.deps);
      expect(z3.domains).toEqual([`a.b.${X}`]);
      expect(await zoneDiffSince(ctx.deps, z2.serial)).toMatchObject({
        kind: 'incremental',
        deleted: [X],
        added: [`a.b.${X}`],
      });
      expect(await zoneDiffSince(ctx.deps, z1.serial)).toMatchObject({
        kind: 'incremental',
        deleted: [],
        added: [],
      });
    } finally {
      await ctx.close();
    }
  });

  describe('a database holding entries stored before the fix', () => {
    const ctx = useTestContext(dialect);
    let warnings: unknown[];
    let deps: ServiceDeps;
    beforeAll(async () => {
      const captured = capturingLog();
      warnings = captured.warnings;
      deps = { ...ctx.deps, log: captured.log };
      await block(deps, 'real-scam.com.tw');
      await block(deps, MEDIUM);
      for (const [domain] of STORED_BEFORE_FIX) await insertRaw(deps, domain, 'active');
      await insertRaw(deps, LONG, 'active');
    });

    it('publishes only the names the rules allow, and reports the rest with the rule', async () => {
      const zone = await currentZone(deps);
      expect(zone.domains).toEqual([MEDIUM, 'real-scam.com.tw']);
      const { omitted } = await storedZone(deps);
      expect(omitted.map((o) => [o.domain, o.rule]).sort()).toEqual(
        [...STORED_BEFORE_FIX.map(([d, r]) => [d, r]), [LONG, 'too_long_for_origin']].sort(),
      );
      expect(omitted.every((o) => /^BRAW\d{9}$/.test(o.entryId))).toBe(true);
      // The origin in force at render time decides, not the one at creation.
      const long = await storedZone(deps, LONG_ORIGIN);
      expect(long.domains).toEqual(['real-scam.com.tw']);
      expect(long.omitted.find((o) => o.domain === MEDIUM)).toMatchObject({
        rule: 'too_long_for_origin',
        matched: LONG_ORIGIN,
      });
      const short = await storedZone(deps, 'z');
      expect(short.domains).toEqual([LONG, MEDIUM, 'real-scam.com.tw']);
    });

    it('logs the omissions once, not on every read of the zone', async () => {
      await currentZone(deps);
      await currentZone(deps);
      const about = warnings.filter(
        (w) =>
          typeof w === 'object' &&
          w !== null &&
          'msg' in w &&
          typeof w.msg === 'string' &&
          w.msg.startsWith('RPZ zone leaves out') &&
          'origin' in w &&
          w.origin === 'rpz.scamnet',
      );
      expect(about).toHaveLength(1);
      expect(about[0]).toMatchObject({ count: STORED_BEFORE_FIX.length + 1 });
    });

    it('staff see the omissions (zoneOmissions); nobody else does', async () => {
      const result = await zoneOmissions(deps, { role: 'analyst', id: 'user:ana' });
      expect(result.origin).toBe('rpz.scamnet');
      expect(result.omitted.find((o) => o.domain === 'org.rpz-nsdname')).toMatchObject({
        rule: 'rpz_label',
        matched: 'rpz-nsdname',
      });
      await expect(zoneOmissions(deps, { role: 'public' })).rejects.toMatchObject({ status: 401 });
      await expect(
        zoneOmissions(deps, { role: 'verifier', id: 'user:v', entityIds: [] }),
      ).rejects.toMatchObject({ status: 403 });
    });

    it('an entry proposed before the fix cannot be activated, nor reinstated', async () => {
      const id = await insertRaw(deps, 'late.rpz-nsdname', 'proposed');
      await expect(
        activateEntry(deps, admin, id, { legalBasis: DISPOSITION, requestingUnit: UNIT }),
      ).rejects.toMatchObject({
        status: 400,
        code: 'domain_refused',
        details: { rule: 'rpz_label' },
      });
      const appealed = await insertRaw(deps, 'appealed.test', 'proposed');
      await deps.db
        .updateTable('blocklist_entries')
        .set({
          state: 'appealed',
          legal_basis: DISPOSITION.kind,
          legal_reference: 'R',
          legal_date: DISPOSITION.date,
        })
        .where('id', '=', appealed)
        .execute();
      await expect(
        transitionEntry(deps, admin, appealed, 'reinstate', undefined),
      ).rejects.toMatchObject({ code: 'domain_refused', details: { rule: 'unknown_tld' } });
    });

    const bind = haveTools('named-checkzone', ['named-checkzone']);
    it.runIf(bind)(
      'renders a zone named-checkzone loads, under short and long origins',
      async () => {
        await withTempDir('scamnet-rpz-hostile-', async (dir) => {
          for (const origin of ['rpz.scamnet', LONG_ORIGIN]) {
            const stored = await storedZone(deps, origin);
            const text = renderRpzZoneText(
              stored.domains,
              {
                origin,
                action: { kind: 'nxdomain' },
                ttl: 300,
                nameserver: 'localhost',
                hostmaster: `hostmaster.${origin}`,
              },
              7,
            );
            const records = text.split('\n').filter((l) => !l.startsWith(';'));
            expect(records.join('\n')).not.toMatch(/rpz-|facebook|\.test |\*\.\*|\.\.|arpa/);
            expect(records.filter((l) => / CNAME \.$/.test(l))).toHaveLength(
              origin === 'rpz.scamnet' ? 4 : 2,
            );
            const file = path.join(dir, 'zone');
            writeFileSync(file, text);
            const result = spawnSync('named-checkzone', ['-i', 'full', origin, file], {
              encoding: 'utf8',
            });
            expect(result.status, result.stdout + result.stderr).toBe(0);
          }
        });
      },
    );
  });

  describe('every way in refuses the names the zone must never carry', () => {
    const app = useTestApp(dialect);
    const post = (url: string, payload: Record<string, unknown>) =>
      app.app.inject({ method: 'POST', url, payload, headers: adminHeaders });

    it('POST /api/v1/blocklist/entries: 400 domain_refused naming the rule', async () => {
      const cases: [string, string][] = [
        ['1.0.0.0.0.rpz-ip', 'rpz_label'],
        ['1.0.0.0.128.rpz-ip', 'rpz_label'],
        ['32.1.0.0.127.rpz-client-ip', 'rpz_label'],
        ['org.rpz-nsdname', 'rpz_label'],
        ['https://ns1.example.org.rpz-nsdname/x', 'rpz_label'],
        ['shop.RPZ-Passthru.scam.com', 'rpz_label'],
        ['x.rpz-future-trigger.com.tw', 'rpz_label'],
        ['scam-shop.test', 'unknown_tld'],
        ['portal.internal', 'unknown_tld'],
        ['*.scam.com.tw', 'invalid_domain'],
        ['a..scam.com.tw', 'invalid_domain'],
        [`${'x'.repeat(64)}.com.tw`, 'invalid_domain'],
      ];
      for (const [domain, rule] of cases) {
        const res = await post('/api/v1/blocklist/entries', { domain });
        expect(res.statusCode, domain).toBe(400);
        expect(res.json().error, domain).toMatchObject({
          code: 'domain_refused',
          details: { rule },
        });
        expect(res.json().error.message, domain).toContain(`${rule}:`);
      }
    });

    it('proposals from a confirmed case never name a refused domain', async () => {
      for (const [url, rule] of [
        ['https://ns1.example.org.rpz-nsdname/x', 'rpz_label'],
        ['https://login.scam-bank.test/', 'unknown_tld'],
      ] as const) {
        const report = await postReport(app.app, { url, platform: 'website' });
        const caseId: string = report.json().case.id;
        await post(`/api/v1/cases/${caseId}/verdict`, { verdict: 'fraud' });
        const proposed = await post('/api/v1/blocklist/entries/from-case', { caseId });
        expect(proposed.statusCode, url).toBe(400);
        expect(proposed.json().error, url).toMatchObject({
          code: 'domain_refused',
          details: { rule },
        });
        const host = new URL(url).hostname;
        const named = await post('/api/v1/blocklist/entries/from-case', { caseId, domain: host });
        expect(named.json().error, url).toMatchObject({ details: { rule } });
      }
      const list = await app.app.inject({
        url: '/api/v1/blocklist/entries',
        headers: adminHeaders,
      });
      expect(list.json().entries).toEqual([]);
      const domains = await app.app.inject({ url: '/api/v1/blocklist/domains.txt' });
      expect(domains.body).not.toMatch(/rpz-|\.test$/m);
    });

    it('165 imports refuse them row by row, naming the rule', async () => {
      await withTempDir('scamnet-bl-hostile-', async (dir) => {
        /** Writes `lines` to the file `name` and imports it as `format`. */
        const importLines = (
          name: string,
          format: Parameters<typeof readBlocklistFile>[1],
          lines: string[],
        ) => {
          const file = path.join(dir, name);
          writeFileSync(file, lines.join('\n'));
          return importEntries(app.deps, admin, readBlocklistFile(file, format));
        };
        const inv = await importLines('investment.csv', 'tw165-investment', [
          'WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE',
          '網站名稱,網址,件數,統計起始日期,統計結束日期',
          '假投資,https://ns1.example.org.rpz-nsdname/x,3,2025/01/01,2025/01/07',
          '假投資2,https://1.0.0.0.0.rpz-ip/,1,2025/01/01,2025/01/07',
          '假投資3,https://www.invest-scam.test/,1,2025/01/01,2025/01/07',
          '假投資4,https://app.good-invest-scam.com.tw/a,1,2025/01/01,2025/01/07',
          '',
        ]);
        expect(inv.proposed).toBe(1);
        expect(
          inv.rejected.map((r) => [r.line, /rpz_label|unknown_tld/.exec(r.message)?.[0]]),
        ).toEqual([
          [3, 'rpz_label'],
          [4, 'rpz_label'],
          [5, 'unknown_tld'],
        ]);
        const sus = await importLines('suspended.csv', 'tw165-suspended-domains', [
          '民國年月,網域,網站性質,法律依據,聲請單位',
          `11412,32.1.0.0.127.rpz-client-ip,電子商務,詐欺犯罪危害防制條例,${UNIT}`,
          `11412,org.rpz-nsdname,電子商務,詐欺犯罪危害防制條例,${UNIT}`,
          `11412,suspended-scam.com.tw,電子商務,詐欺犯罪危害防制條例,${UNIT}`,
          '',
        ]);
        expect(sus.activated).toBe(1);
        expect(sus.rejected.map((r) => [r.line, /rpz_label/.exec(r.message)?.[0]])).toEqual([
          [2, 'rpz_label'],
          [3, 'rpz_label'],
        ]);
        expect((await currentZone(app.deps)).domains).toEqual(['suspended-scam.com.tw']);
      });
    });

    it('GET /api/v1/blocklist/rpz/omissions: staff only, with the rule of each', async () => {
      await insertRaw(app.deps, '9.0.0.0.10.rpz-nsip', 'active');
      const res = await app.app.inject({
        url: '/api/v1/blocklist/rpz/omissions',
        headers: adminHeaders,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        origin: 'rpz.scamnet',
        omitted: [
          {
            domain: '9.0.0.0.10.rpz-nsip',
            rule: 'rpz_label',
            matched: 'rpz-nsip',
            message: expect.stringMatching(/^rpz_label: /),
          },
        ],
      });
      expect((await app.app.inject({ url: '/api/v1/blocklist/rpz/omissions' })).statusCode).toBe(
        401,
      );
      const reporter = await createUser(app, { role: 'reporter' });
      const session = await loginAs(app, reporter);
      expect(
        (
          await app.app.inject({
            url: '/api/v1/blocklist/rpz/omissions',
            headers: session.headers,
          })
        ).statusCode,
      ).toBe(403);
      const zone = await app.app.inject({ url: '/api/v1/blocklist/rpz.zone' });
      expect(zone.body).not.toMatch(/rpz-nsip/);
    });
  });
});

describe.each(testDialects())('migration 0014 on %s', (dialect: Dialect) => {
  it('fills the tree key of the entries already stored, so the journal finds them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-0014-'));
    const { databaseUrl, schema } = await testDatabase(dialect, path.join(dir, 'm.db'));
    const store = createStore(
      loadConfig({ DATABASE_URL: databaseUrl }, dir).store,
      schema === undefined ? {} : { searchPath: schema, poolSize: 2 },
    );
    try {
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
        ...(schema === undefined ? {} : { migrationTableSchema: schema }),
      });
      // On PostgreSQL, under the lock the other suites take to drop their schemas (withSchemaLock).
      const locked = <T>(work: () => Promise<T>) =>
        schema === undefined ? work() : withSchemaLock('shared', work);
      const before = await locked(() => migrator.migrateTo('0013-stats-daily'));
      expect(before.error).toBeUndefined();
      const at = '2026-01-01T00:00:00.000Z';
      for (const [i, domain] of ['shop.example.com.tw', 'a.b.shop.example.com.tw'].entries()) {
        await sql`insert into blocklist_entries (id, domain, state, source, created_at, updated_at)
          values (${`BOLD${i}`}, ${domain}, 'active', 'legacy', ${at}, ${at})`.execute(store.db);
      }
      const after = await locked(() => migrator.migrateToLatest());
      expect(after.error).toBeUndefined();
      const rows = await store.db
        .selectFrom('blocklist_entries')
        .select(['domain', 'tree_key'])
        .orderBy('domain')
        .execute();
      expect(rows).toEqual([
        { domain: 'a.b.shop.example.com.tw', tree_key: 'tw.com.example.shop.b.a.' },
        { domain: 'shop.example.com.tw', tree_key: 'tw.com.example.shop.' },
      ]);
      if (schema !== undefined) {
        // Byte order whatever the database's collation, so `com.x.` ≤ key < `com.x/` holds.
        const column = await sql<{ collation: string | null }>`
          select collation_name as collation from information_schema.columns
          where table_schema = ${schema} and table_name = 'blocklist_entries'
            and column_name = 'tree_key'`.execute(store.db);
        expect(column.rows).toEqual([{ collation: 'C' }]);
      }
    } finally {
      const name = schema;
      if (name !== undefined) {
        await withSchemaLock('exclusive', () =>
          sql`drop schema ${sql.id(name)} cascade`.execute(store.db),
        );
      }
      await store.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
