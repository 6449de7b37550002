/**
 * The blocklist's refusals in words of the UI (issue 18: the Chinese UI read 「這個網域不能封鎖：
 * Refused by the protection guard: …」). The server answers a stable code — `domain_refused` with
 * the guard's rule and what it matched in `details`, or a code of its own — and an English
 * sentence for API clients; the web UI (web/src/blocklist-errors.ts) words each rule and code from
 * its catalogs (`blocklist.refusal.<rule>`, `blocklist.errors.<code>`). These tests hold the two
 * sides together: every rule of the guard and every code the blocklist throws has words in both
 * languages, and a refusal carries what the words need.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { buildTestApp } from '../harness.js';

import { DEFAULT_PROTECTED_DOMAINS } from '../../src/config/index.js';
import { PROTECTION_RULES, blockRefusal } from '../../src/indicators/index.js';
import { adminRequest } from '../factories.js';
const BLOCKLIST_SOURCE = path.join(import.meta.dirname, '..', '..', 'src', 'blocklist');

/** Codes thrown by the blocklist capability (`badRequest('x'`, `conflict('x'`, `AppError(4xx, 'x'`). */
function thrownCodes(): string[] {
  const codes = new Set<string>();
  for (const file of readdirSync(BLOCKLIST_SOURCE)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = readFileSync(path.join(BLOCKLIST_SOURCE, file), 'utf8');
    const pattern =
      /(?:badRequest|conflict|notFound|forbidden)\(\s*'([a-z_]+)'|new AppError\(\s*4\d\d,\s*'([a-z_]+)'/g;
    for (const m of text.matchAll(pattern)) codes.add(m[1] ?? m[2] ?? '');
  }
  return [...codes].sort();
}

/** One domain each rule refuses (blockRefusal with the shipped protected list). */
const REFUSED: Record<(typeof PROTECTION_RULES)[number], string> = {
  invalid_domain: 'no_such host',
  ip_address: '192.0.2.1',
  rpz_label: 'x.rpz-ip.com.tw',
  unknown_tld: 'shop.invalidtld',
  public_suffix: 'com.tw',
  platform: 'www.facebook.com',
  shortener: 'bit.ly',
  government: 'www.example.gov.tw',
  protected_domain: `login.${DEFAULT_PROTECTED_DOMAINS.find((d) => d.split('.').length > 2 && !d.includes('gov')) ?? ''}`,
};

describe('blocklist refusals in the UI language', () => {
  it('words every rule of the protection guard in zh-TW and English', () => {
    for (const rule of PROTECTION_RULES) {
      const refusal = blockRefusal(REFUSED[rule]);
      expect(refusal?.rule, REFUSED[rule]).toBe(rule);
      for (const catalog of [zhTW, en]) {
        const words: Record<string, string> = catalog.blocklist.refusal;
        expect(words[rule], `blocklist.refusal.${rule}`).toContain('{{matched}}');
      }
      // The Chinese words are not the server's English sentence.
      expect(zhTW.blocklist.refusal[rule]).not.toMatch(/Refused|protection guard/);
    }
    expect(Object.keys(zhTW.blocklist.refusal).sort()).toEqual(
      [...PROTECTION_RULES, 'other'].sort(),
    );
  });

  it('words every error code the blocklist throws', () => {
    const codes = thrownCodes();
    // The scan found the capability's codes (a broken pattern would pass vacuously).
    expect(codes).toEqual(expect.arrayContaining(['invalid_transition', 'note_required']));
    const worded = Object.keys(zhTW.blocklist.errors);
    for (const code of codes) {
      if (code === 'domain_refused' || code === 'invalid_domain') continue; // worded by rule
      expect(worded, code).toContain(code);
    }
    expect(Object.keys(en.blocklist.errors).sort()).toEqual([...worded].sort());
  });

  describe('over HTTP', () => {
    let ctx: Awaited<ReturnType<typeof buildTestApp>>;
    beforeAll(async () => {
      ctx = await buildTestApp('sqlite');
    });
    afterAll(async () => ctx?.close());

    it('names the rule and what it matched, which the UI words', async () => {
      const res = await adminRequest(
        ctx.app,
        'POST',
        '/api/v1/blocklist/entries',
        { domain: 'www.facebook.com' },
        400,
      );
      const error = res.json<{
        error: { code: string; details: { rule: string; matched: string; field: string } };
      }>().error;
      expect(error.code).toBe('domain_refused');
      expect(error.details).toEqual({ field: 'domain', rule: 'platform', matched: 'facebook.com' });
      expect(Object.keys(zhTW.blocklist.refusal)).toContain(error.details.rule);
    });
  });
});
