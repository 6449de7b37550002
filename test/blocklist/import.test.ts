import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectBlocklistFormat,
  importEntries,
  listEntries,
  readBlocklistFile,
  rocYearMonth,
  storedZone,
} from '../../src/blocklist/index.js';
import { loadConfig } from '../../src/config/index.js';

import { createStore } from '../../src/store/index.js';
import { expectDataError, scamnet } from '../cli.js';
import { testDialects, useTestContextPerTest, withTempDir } from '../harness.js';
import { insertLegacyEntry } from './legacy-entry.js';

import type { Actor } from '../../src/policy/index.js';
const root = path.resolve(import.meta.dirname, '../..');
const DEMO = path.join(root, 'data/demo');
const SHOPS = path.join(DEMO, 'phishing_shop_sites_dns_suspended.csv');
const INVESTMENT = path.join(DEMO, 'fake_investment_sites.csv');
// Hand-made rows in the documented column layout of 165's 「遭停止解析涉詐網站」 dataset
// (data.gov.tw 176455), of which no real copy was found (see ../shared/data/tw165/NOTICE.md).
const SUSPENDED = path.join(import.meta.dirname, 'fixtures/tw165-suspended-domains.csv');
const importer: Actor = { role: 'admin', id: 'import:test' };

describe('rocYearMonth', () => {
  it('reads 民國年月 as the first day of the month (ROC year + 1911)', () => {
    expect(rocYearMonth('11412')).toBe('2025-12-01');
    expect(rocYearMonth('9901')).toBe('2010-01-01');
    expect(rocYearMonth('11413')).toBeNull();
    expect(rocYearMonth('1141x')).toBeNull();
  });
});

describe.each(testDialects())('blocklist import on %s', (dialect) => {
  const ctx = useTestContextPerTest(dialect);
  /** Imports a blocklist file (read as readBlocklistFile reads it) as the importer. */
  const importFile = (...args: Parameters<typeof readBlocklistFile>) =>
    importEntries(ctx.deps, importer, readBlocklistFile(...args));

  it('detects the 165 formats from their headers', async () => {
    expect(await detectBlocklistFormat(SHOPS)).toBe('tw165-dns-suspended');
    expect(await detectBlocklistFormat(INVESTMENT)).toBe('tw165-investment');
    expect(await detectBlocklistFormat(SUSPENDED)).toBe('tw165-suspended-domains');
    expect(await detectBlocklistFormat(path.join(DEMO, 'blocklistproject-scam.txt'))).toBe(
      'domains',
    );
  });

  it("the DNS-suspended shop sites import active on 165's published suspension, once", async () => {
    const first = await importFile(SHOPS, 'tw165-dns-suspended');
    expect(first).toEqual({ proposed: 0, activated: 17, duplicates: 0, rejected: [] });
    const entries = await listEntries(ctx.deps, importer, { limit: 100 });
    expect(entries.every((e) => e.state === 'active' && e.siteType === '電子商務')).toBe(true);
    // Row 1: 停止解析日期 2023-06-30T00:00:00 (Taipei). The list names no ruling or
    // disposition: the basis is the publisher's own published suspension, nothing invented.
    const shop = entries.find((e) => e.domain === 'onlytoppc24.com');
    expect(shop).toMatchObject({
      legalBasis: {
        kind: 'published_suspension',
        reference: '165 開放資料 一頁式詐騙購物網站 停止解析清單 編號 1',
        date: '2023-06-30',
      },
      requestingUnit: '內政部警政署 165 反詐騙諮詢專線',
      effectiveAt: '2023-06-29T16:00:00.000Z',
      expiresAt: null,
      source: 'tw165',
    });
    expect(shop?.note).toMatch(/PChome.*165 停止解析 2023-06-30/);
    expect((await storedZone(ctx.deps)).domains).toContain('onlytoppc24.com');
    const again = await importFile(SHOPS, 'tw165-dns-suspended');
    expect(again).toMatchObject({ activated: 0, proposed: 0, duplicates: 17 });
  });

  it('a legal basis on the command line replaces the published suspension', async () => {
    const summary = await importFile(SHOPS, 'tw165-dns-suspended', {
      basis: {
        kind: 'court_ruling',
        reference: '112年度聲字第1號',
        date: '2023-06-28',
        requestingUnit: '刑事警察局',
      },
    });
    expect(summary.activated).toBe(17);
    const entries = await listEntries(ctx.deps, importer, { limit: 100 });
    expect(entries.find((e) => e.domain === 'onlytoppc24.com')).toMatchObject({
      legalBasis: { kind: 'court_ruling', reference: '112年度聲字第1號', date: '2023-06-28' },
      requestingUnit: '刑事警察局',
    });
  });

  it('the fake-investment list imports each site once by registrable domain; the guard names refused rows', async () => {
    const summary = await importFile(INVESTMENT, 'tw165-investment');
    expect(summary.activated).toBe(0);
    expect(summary.proposed).toBeGreaterThan(500);
    expect(summary.proposed + summary.duplicates + summary.rejected.length).toBe(4900);
    for (const { line, message } of summary.rejected) {
      expect(line).toBeGreaterThan(2);
      expect(message).toMatch(
        /^(Refused by the protection guard: (ip_address|rpz_label|unknown_tld|platform|public_suffix|shortener|government|protected_domain|invalid_domain):|WEBURL)/,
      );
    }
    expect(summary.rejected.some((r) => /ip_address/.test(r.message))).toBe(true);
  });

  it('the 遭停止解析涉詐網站 layout: rows with 法律依據 become active, others proposed; refused rows name the rule', async () => {
    const summary = await importFile(SUSPENDED, 'tw165-suspended-domains');
    expect(summary.activated).toBe(2);
    expect(summary.proposed).toBe(1);
    expect(summary.rejected.map((r) => [r.line, r.message.replace(/:.*/s, '')])).toEqual([
      [5, 'Refused by the protection guard'],
      [6, 'Refused by the protection guard'],
      [7, '民國年月 "1141x" is not YYYMM'],
    ]);
    expect(summary.rejected[0]?.message).toMatch(/government/);
    expect(summary.rejected[1]?.message).toMatch(/platform/);
    const [active] = await listEntries(ctx.deps, importer, {
      domain: 'suspended-invest.com.tw',
      limit: 1,
    });
    expect(active).toMatchObject({
      state: 'active',
      siteType: '金融保險',
      requestingUnit: '刑事警察局詐欺犯罪防制中心',
      legalBasis: {
        kind: 'administrative_disposition',
        reference: '詐欺犯罪危害防制條例',
        date: '2025-12-01',
      },
      effectiveAt: '2025-11-30T16:00:00.000Z',
    });
    expect((await storedZone(ctx.deps)).domains).toEqual([
      'fake-bank-login.com.tw',
      'suspended-invest.com.tw',
    ]);
  });

  it('a domain list with the basis on the command line becomes active; the guard applies to every line', async () => {
    await withTempDir('scamnet-bl-', async (dir) => {
      const file = path.join(dir, 'moda-2026-11.txt');
      writeFileSync(
        file,
        '# disposition list\nscam-one.com.tw\nSCAM-TWO.COM.TW.\nline.me\n\nbit.ly\n',
      );
      const summary = await importFile(file, 'domains', {
        basis: {
          kind: 'administrative_disposition',
          reference: '數授產字第1150000001號',
          date: '2026-11-27',
          requestingUnit: '數位發展部',
        },
      });
      expect(summary.activated).toBe(2);
      expect(
        summary.rejected.map((r) => [r.line, /platform|shortener/.exec(r.message)?.[0]]),
      ).toEqual([
        [4, 'platform'],
        [6, 'shortener'],
      ]);
      expect((await storedZone(ctx.deps)).domains).toEqual(['scam-one.com.tw', 'scam-two.com.tw']);
    });
  });
});

describe('scamnet blocklist CLI', () => {
  it('imports with --basis, prints refused lines with their rule, and prints the zone with --origin', async () => {
    await withTempDir('scamnet-bl-cli-', async (dir) => {
      const env = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' };
      const list = path.join(dir, 'list.txt');
      writeFileSync(list, 'cli-scam.com.tw\nfacebook.com\n1.0.0.0.0.rpz-ip\nscam.example\n');
      const imported = await scamnet(
        [
          'blocklist',
          'import',
          list,
          '--format',
          'domains',
          '--basis',
          'administrative_disposition',
          '--ref',
          'REF-1',
          '--unit',
          'UNIT',
        ],
        env,
      );
      expect(imported.stdout).toMatch(/1 active, 0 proposed, 0 already listed, 3 refused/);
      expect(imported.stderr).toMatch(/line 2: .*platform: facebook\.com/);
      expect(imported.stderr).toMatch(/line 3: .*rpz_label: 1\.0\.0\.0\.0\.rpz-ip/);
      expect(imported.stderr).toMatch(/line 4: .*unknown_tld: scam\.example/);
      expect(imported.code).toBe(65);

      // An entry a database written before the current rules may hold: left out, and said so.
      const store = createStore(loadConfig(env, dir).store);
      try {
        await insertLegacyEntry(store.db, {
          id: 'BLEGACY000001',
          domain: 'org.rpz-nsdname',
          state: 'active',
          treeKey: 'none',
          at: new Date().toISOString(),
        });
      } finally {
        await store.destroy();
      }

      const zone = await scamnet(['blocklist', 'rpz', '--origin', 'rpz.example.net'], env);
      expect(zone.code).toBe(0);
      expect(zone.stdout).toMatch(/^\$ORIGIN rpz\.example\.net\.$/m);
      expect(zone.stdout).toMatch(/^cli-scam\.com\.tw CNAME \.$/m);
      expect(zone.stdout).toMatch(/^\*\.cli-scam\.com\.tw CNAME \.$/m);
      expect(zone.stdout).not.toMatch(/facebook|nsdname/);
      expect(zone.stderr).toMatch(
        /^left out org\.rpz-nsdname \(entry BLEGACY000001\): rpz_label: .*$/m,
      );

      expectDataError(
        await scamnet(['blocklist', 'import', list, '--basis', 'court_ruling'], env),
        /legal_basis_incomplete/,
      );
    });
  }, 60_000);
});
