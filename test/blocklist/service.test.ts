import { describe, expect, it } from 'vitest';
import {
  activateEntry,
  currentZone,
  expireDueEntries,
  getEntry,
  proposeEntry,
  proposeFromCase,
  transitionEntry,
  zoneDiffSince,
} from '../../src/blocklist/index.js';
import { overrideVerdict } from '../../src/verification/index.js';
import { loadConfig } from '../../src/config/index.js';

import { submitReport } from '../../src/intake/index.js';
import { testDialects, type TestContext, useTestContextPerTest } from '../harness.js';
import { admin, basis, UNIT } from './entries.js';

import type { Actor } from '../../src/policy/index.js';
const analyst: Actor = { role: 'analyst', id: 'user:ana' };

async function confirmedCase(ctx: TestContext, url: string): Promise<string> {
  const { case: view } = await submitReport(ctx.deps, {
    url,
    platform: 'website',
    channel: 'web',
    source: 'citizen',
  });
  await overrideVerdict(ctx.deps, admin, view.id, { decision: 'fraud' });
  return view.id;
}

describe.each(testDialects())('blocklist entries on %s', (dialect) => {
  const ctx = useTestContextPerTest(dialect);

  it('proposes from a confirmed case in one action, activates with a legal basis, and audits every step', async () => {
    const caseId = await confirmedCase(ctx, 'https://shop.fake-pchome24.com.tw/login#x');
    const { entry, created } = await proposeFromCase(ctx.deps, analyst, caseId);
    expect(created).toBe(true);
    expect(entry).toMatchObject({
      domain: 'fake-pchome24.com.tw',
      state: 'proposed',
      caseIds: [caseId],
      source: 'case',
      legalBasis: null,
    });
    expect((await currentZone(ctx.deps)).domains).toEqual([]);

    await expect(activateEntry(ctx.deps, analyst, entry.id, {})).rejects.toMatchObject({
      status: 400,
      code: 'legal_basis_required',
    });
    const active = await activateEntry(ctx.deps, analyst, entry.id, {
      legalBasis: basis,
      requestingUnit: UNIT,
      siteType: '電子商務',
    });
    expect(active).toMatchObject({
      state: 'active',
      legalBasis: basis,
      requestingUnit: UNIT,
      siteType: '電子商務',
      effectiveAt: '2026-11-29T02:00:00.000Z',
    });
    expect((await currentZone(ctx.deps)).domains).toEqual(['fake-pchome24.com.tw']);

    const { events } = await getEntry(ctx.deps, admin, entry.id);
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['blocklist_entry.proposed', 'user:ana'],
      ['blocklist_entry.activated', 'user:ana'],
    ]);
    expect(events[1]?.data).toMatchObject({ legalBasis: basis, requestingUnit: UNIT });
  });

  it('a second case of the same site is linked to the open entry instead of a new one', async () => {
    const first = await confirmedCase(ctx, 'https://same-scam.com.tw/a');
    const second = await confirmedCase(ctx, 'https://www.same-scam.com.tw/b');
    const a = await proposeFromCase(ctx.deps, admin, first);
    const b = await proposeFromCase(ctx.deps, admin, second);
    expect(b.created).toBe(false);
    expect(b.entry.id).toBe(a.entry.id);
    expect([...b.entry.caseIds].sort()).toEqual([first, second].sort());
  });

  it('refuses to propose from a case that is not confirmed fraud', async () => {
    const { case: view } = await submitReport(ctx.deps, {
      url: 'https://undecided.com.tw/',
      platform: 'website',
      channel: 'web',
      source: 'citizen',
    });
    await expect(proposeFromCase(ctx.deps, admin, view.id)).rejects.toMatchObject({
      status: 409,
      code: 'case_not_confirmed',
    });
  });

  it('the protection guard refuses platforms, public suffixes, government and protected domains, naming the rule', async () => {
    const cases: [string, string][] = [
      ['facebook.com', 'platform'],
      ['www.facebook.com', 'platform'],
      ['bit.ly', 'shortener'],
      ['com.tw', 'public_suffix'],
      ['github.io', 'public_suffix'],
      ['165.npa.gov.tw', 'government'],
      ['whitehouse.gov', 'government'],
      ['ctbcbank.com', 'protected_domain'],
      ['login.esunbank.com.tw', 'protected_domain'],
      ['8.8.8.8', 'ip_address'],
      ['not a domain', 'invalid_domain'],
    ];
    for (const [domain, rule] of cases) {
      await expect(proposeEntry(ctx.deps, admin, { domain }), domain).rejects.toMatchObject({
        status: 400,
        code: 'domain_refused',
        details: { rule },
      });
    }
    await expect(proposeEntry(ctx.deps, admin, { domain: 'facebook.com' })).rejects.toThrow(
      /platform/,
    );
  });

  it('the configured protected list is honoured', async () => {
    // Two test stores at once confuse Kysely's migrator on PostgreSQL (it looks for its lock
    // table in every schema), so the setting is applied to this store's deps instead.
    const config = loadConfig({ BLOCKLIST_PROTECTED_DOMAINS: 'our-partner.com.tw' }, '/tmp');
    const deps = { ...ctx.deps, config: { ...ctx.deps.config, blocklist: config.blocklist } };
    await expect(
      proposeEntry(deps, admin, { domain: 'shop.our-partner.com.tw' }),
    ).rejects.toMatchObject({
      details: { rule: 'protected_domain', matched: 'our-partner.com.tw' },
    });
    expect(config.blocklist.protectedDomains).toContain('ctbcbank.com');
    const ok = await proposeEntry(deps, admin, { domain: 'other.com.tw' });
    expect(ok.state).toBe('proposed');
  });

  it('one open entry per domain; a lifted domain can be proposed again', async () => {
    const entry = await proposeEntry(ctx.deps, admin, { domain: 'Twice.Com.TW.' });
    expect(entry.domain).toBe('twice.com.tw');
    await expect(proposeEntry(ctx.deps, admin, { domain: 'twice.com.tw' })).rejects.toMatchObject({
      status: 409,
      code: 'blocklist_entry_exists',
    });
    await transitionEntry(ctx.deps, admin, entry.id, 'lift', 'withdrawn');
    const again = await proposeEntry(ctx.deps, admin, { domain: 'twice.com.tw' });
    expect(again.id).not.toBe(entry.id);
  });

  it('appeal, reinstate and lift move the domain out of and into the zone with a new serial each time', async () => {
    const entry = await proposeEntry(ctx.deps, admin, {
      domain: 'appeal-me.com.tw',
      legalBasis: basis,
    });
    await activateEntry(ctx.deps, admin, entry.id, { requestingUnit: UNIT });
    const z1 = await currentZone(ctx.deps);
    expect(z1.domains).toEqual(['appeal-me.com.tw']);

    ctx.clock.advance(1000);
    const appealed = await transitionEntry(ctx.deps, admin, entry.id, 'appeal', 'owner says legit');
    expect(appealed.state).toBe('appealed');
    const z2 = await currentZone(ctx.deps);
    expect(z2.domains).toEqual([]);
    expect(z2.serial).toBeGreaterThan(z1.serial);

    const reinstated = await transitionEntry(ctx.deps, admin, entry.id, 'reinstate', undefined);
    expect(reinstated.state).toBe('active');
    const z3 = await currentZone(ctx.deps);
    expect(z3.domains).toEqual(['appeal-me.com.tw']);
    expect(z3.serial).toBeGreaterThan(z2.serial);

    await expect(
      transitionEntry(ctx.deps, admin, entry.id, 'reinstate', undefined),
    ).rejects.toMatchObject({
      status: 409,
      code: 'invalid_transition',
    });
    await expect(transitionEntry(ctx.deps, admin, entry.id, 'lift', '')).rejects.toMatchObject({
      code: 'note_required',
    });
    const lifted = await transitionEntry(ctx.deps, admin, entry.id, 'lift', 'ruling revoked');
    expect(lifted.state).toBe('lifted');
    expect((await currentZone(ctx.deps)).domains).toEqual([]);
    const { events } = await getEntry(ctx.deps, admin, entry.id);
    expect(events.map((e) => e.type)).toEqual([
      'blocklist_entry.proposed',
      'blocklist_entry.activated',
      'blocklist_entry.appealed',
      'blocklist_entry.reinstated',
      'blocklist_entry.lifted',
    ]);
  });

  it('expires entries when their expiry passes', async () => {
    const entry = await proposeEntry(ctx.deps, admin, { domain: 'short-lived.com.tw' });
    await activateEntry(ctx.deps, admin, entry.id, {
      legalBasis: { kind: 'emergency_order', reference: 'EO-1', date: '2026-11-29' },
      requestingUnit: UNIT,
      expiresAt: '2026-12-01T00:00:00Z',
    });
    expect(await expireDueEntries(ctx.deps)).toBe(0);
    ctx.clock.advance(3 * 86_400_000);
    expect(await expireDueEntries(ctx.deps)).toBe(1);
    const { entry: after, events } = await getEntry(ctx.deps, admin, entry.id);
    expect(after.state).toBe('expired');
    expect(events.at(-1)).toMatchObject({
      type: 'blocklist_entry.expired',
      actor: 'system:expiry',
    });
    expect((await currentZone(ctx.deps)).domains).toEqual([]);
  });

  it('only analysts and admins change entries', async () => {
    await expect(
      proposeEntry(ctx.deps, { role: 'public' }, { domain: 'x.com.tw' }),
    ).rejects.toMatchObject({
      status: 401,
    });
    await expect(
      proposeEntry(ctx.deps, { role: 'reporter', id: 'user:r' }, { domain: 'x.com.tw' }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('IXFR differences: incremental from a known serial, up to date, full for an unknown serial', async () => {
    const a = await proposeEntry(ctx.deps, admin, {
      domain: 'a.com.tw',
      legalBasis: basis,
      requestingUnit: UNIT,
    });
    const b = await proposeEntry(ctx.deps, admin, {
      domain: 'b.com.tw',
      legalBasis: basis,
      requestingUnit: UNIT,
    });
    await activateEntry(ctx.deps, admin, a.id, {});
    const s1 = (await currentZone(ctx.deps)).serial;
    ctx.clock.advance(1000);
    await activateEntry(ctx.deps, admin, b.id, {});
    await transitionEntry(ctx.deps, admin, a.id, 'lift', 'revoked');
    const diff = await zoneDiffSince(ctx.deps, s1);
    expect(diff).toMatchObject({
      kind: 'incremental',
      fromSerial: s1,
      deleted: ['a.com.tw'],
      added: ['b.com.tw'],
    });
    expect((await currentZone(ctx.deps)).domains).toEqual(['b.com.tw']);
    expect((await zoneDiffSince(ctx.deps, (await currentZone(ctx.deps)).serial)).kind).toBe(
      'up_to_date',
    );
    expect((await zoneDiffSince(ctx.deps, 12345)).kind).toBe('full');
  });

  it('a change of RPZ policy bumps the serial and makes IXFR fall back to a full transfer', async () => {
    const e = await proposeEntry(ctx.deps, admin, {
      domain: 'policy.com.tw',
      legalBasis: basis,
      requestingUnit: UNIT,
    });
    await activateEntry(ctx.deps, admin, e.id, {});
    const before = await currentZone(ctx.deps);
    ctx.clock.advance(1000);
    const other = {
      ...ctx.deps,
      config: {
        ...ctx.deps.config,
        blocklist: { ...ctx.deps.config.blocklist, rpzAction: { kind: 'nodata' as const } },
      },
    };
    const after = await currentZone(other);
    expect(after.serial).toBeGreaterThan(before.serial);
    expect((await zoneDiffSince(other, before.serial)).kind).toBe('full');
  });
});
