import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DATA_DIR } from '../src/bootstrap.js';
import { blocklistDomains } from '../src/blocklist/index.js';
import { getPublicCase } from '../src/cases/index.js';
import { importDemo } from '../src/demo/index.js';
import { detectImportFormat, importRows, readImportFile } from '../src/intake/index.js';
import { lookupText, lookupUrl } from '../src/search/index.js';
import { testDialects, useTestContext } from './harness.js';

const SAMPLE = 600;
const tmp = mkdtempSync(path.join(tmpdir(), 'scamnet-import-'));
function file(name: string, content: string): string {
  const full = path.join(tmp, name);
  writeFileSync(full, content);
  return full;
}

describe('import format detection', () => {
  it.each([
    ['cofacts-dev.csv', 'cofacts'],
    ['fake_investment_sites.csv', 'tw165-investment'],
    ['line_ids.csv', 'tw165-line-ids'],
    ['phishing_shop_sites_dns_suspended.csv', 'tw165-dns-suspended'],
    ['blocklistproject-scam.txt', 'domains'],
  ])('%s is %s', async (name, format) => {
    expect(await detectImportFormat(path.join(DEMO_DATA_DIR, name))).toBe(format);
  });

  it('detects JSON Lines', async () => {
    expect(await detectImportFormat(file('r.jsonl', '{"url":"http://a.example.com/"}\n'))).toBe(
      'jsonl',
    );
  });
});

describe.each(testDialects())('imports on %s', (dialect) => {
  const ctx = useTestContext(dialect);

  it('keeps good JSON Lines rows and reports bad ones by line number', async () => {
    const jsonl = file(
      'reports.jsonl',
      [
        '{"url":"http://jsonl-one.example.com/a","receivedAt":"2026-11-01T01:00:00Z","externalId":"j1"}',
        '{"text":"加LINE領取投資明牌"',
        '{"url":"not a url"}',
        '',
        '{"text":"飆股老師帶你賺","platform":"line","externalId":"j2"}',
        '{"text":"x","unknown":1}',
        '{"platform":"facebook"}',
        '{"url":"http://jsonl-three.example.com/","receivedAt":"yesterday"}',
        '{"url":"http://jsonl-three.example.com/","platform":"myspace"}',
      ].join('\n'),
    );
    const summary = await importRows(ctx.deps, readImportFile(jsonl, 'jsonl'));
    expect(summary.accepted).toBe(2);
    expect(summary.newCases).toBe(2);
    expect(summary.rejected.map((r) => r.line)).toEqual([2, 3, 6, 7, 8, 9]);
    expect(summary.rejected[0]?.message).toMatch(/JSON/);
    expect(summary.rejected[1]?.message).toMatch(/invalid_url/);
    expect(summary.rejected[3]?.message).toMatch(/url_or_text_required/);
    expect(summary.rejected[4]?.message).toMatch(/receivedAt/);
    expect(summary.rejected[5]?.message).toMatch(/platform/);

    const again = await importRows(ctx.deps, readImportFile(jsonl, 'jsonl'));
    expect(again.accepted).toBe(0);
    expect(again.duplicates).toBe(2);

    const found = await lookupUrl(ctx.deps, 'http://jsonl-one.example.com/a');
    expect(found.cases[0]).toMatchObject({
      firstReportedAt: '2026-11-01T01:00:00.000Z',
      reportCount: 1,
      source: 'import',
    });
  });

  it('imports the real demo data with the verdicts the sources support', async () => {
    // PostgreSQL runs a sample (SAMPLE rows a file: every row asserted below is in it) to keep CI
    // time down; SQLite imports everything, as `npm start` does.
    const full = dialect === 'sqlite';
    const { files: results } = await importDemo(ctx.deps, DEMO_DATA_DIR, {
      rowsPerFile: full ? Infinity : SAMPLE,
    });
    const byFile = Object.fromEntries(results.map((r) => [r.file, r.summary]));
    expect(Object.keys(byFile)).toHaveLength(5);
    for (const [name, summary] of Object.entries(byFile)) {
      expect(summary.accepted, name).toBeGreaterThan(0);
    }
    expect(byFile['phishing_shop_sites_dns_suspended.csv']?.accepted).toBe(17);
    expect(byFile['cofacts-dev.csv']?.accepted).toBe(full ? 1491 : SAMPLE);
    if (full) {
      expect(byFile['fake_investment_sites.csv']?.accepted).toBe(4899);
      // One row of the 165 list names a host without a domain (`stepup99`): refused, with its line.
      expect(byFile['fake_investment_sites.csv']?.rejected).toEqual([
        { line: 2695, message: expect.stringMatching(/invalid_url/) },
      ]);
    } else {
      expect(byFile['fake_investment_sites.csv']?.accepted).toBe(SAMPLE);
    }
    // Weekly rows of the same site land in one case.
    expect(byFile['fake_investment_sites.csv']?.newCases).toBeLessThan(
      byFile['fake_investment_sites.csv']?.accepted ?? 0,
    );

    const shop = await lookupUrl(ctx.deps, 'https://www.onlytoppc24.com/');
    expect(shop.found).toBe(true);
    // The 165 hotline's DNS suspension is a block, not a platform's removal.
    expect(shop.cases[0]).toMatchObject({
      status: 'blocked',
      label: { 'zh-TW': '詐騙網站，已停止解析' },
      colour: 'red',
      verdict: 'fraud',
      platform: 'website',
    });

    const invest = await lookupUrl(ctx.deps, 'https://www.0xdappplus.com/');
    expect(invest.cases[0]?.status).toMatch(/^(site_confirmed|block_proposed)$/);
    expect(invest.cases[0]).toMatchObject({ source: 'tw165' });
    const detail = await getPublicCase(ctx.deps, invest.cases[0]?.id ?? '');
    expect(detail.verdicts[0]?.note).toMatch(/165/);

    const line = await lookupText(ctx.deps, 'lai659');
    // Nobody told LINE: no takedown notice of an imported LINE ID was delivered.
    expect(line.cases[0]).toMatchObject({
      platform: 'line',
      verdict: 'fraud',
      status: 'fraud_confirmed',
    });
    expect(line.cases[0]?.indicators).toContainEqual({ type: 'line_id', value: 'lai659' });

    const community = await lookupUrl(ctx.deps, 'http://10tradeoption.com/');
    expect(community.cases[0]).toMatchObject({ status: 'high_risk', source: 'blocklistproject' });

    // A health rumour (Cofacts topic 3, 保健秘訣、食品安全) is not a scam; found as itself.
    const cofacts = await lookupText(ctx.deps, 'https://youtu.be/Z6bhTwh9qRw 耳垂看出心肌梗塞前兆');
    expect(cofacts.found).toBe(true);
    expect(cofacts.cases.some((c) => c.source === 'cofacts' && c.status === 'not_fraud')).toBe(
      true,
    );
    // Its link alone is only mentioned by the message: no record of that video as a scam.
    const video = await lookupUrl(ctx.deps, 'https://youtu.be/Z6bhTwh9qRw');
    expect(video.found).toBe(false);
    expect(video.verdict.outcome).toBe('mentioned_only');
    expect(video.mentions.cases.some((c) => c.source === 'cofacts')).toBe(true);

    // Blocked with a legal basis: 165's DNS-suspended sites; its reported investment sites are
    // only proposed, the community list not at all.
    const domains = await blocklistDomains(ctx.deps);
    expect(domains).toContain('onlytoppc24.com');
    expect(domains).not.toContain('0xdappplus.com');
    expect(domains).not.toContain('10tradeoption.com');
    expect(domains).toEqual([...domains].sort());
  }, 300_000);
});
