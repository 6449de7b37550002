/**
 * Issue 18, "no personal data on public pages": a victim reports a scam with their own name, ID
 * number, phone number and bank account typed into the message and a follow-up contact given in
 * the contact field (also typed into the message). None of those values may appear anywhere in a
 * public answer — the reporter's confirmation, the case, its timeline, search, lookup, trending,
 * the blocklist feeds and the bulletins — and none of them may find the case; the scammer's LINE
 * ID, phone number, account and site stay public. Analysts, admins and the verifier the case is
 * routed to still see the original. The public forms survive `scamnet reindex` and are made
 * again for a store from before they existed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStalePublicForms } from '../../src/intake/index.js';
import { rebuildIndexes } from '../../src/commands/reindex.service.js';
import { localDateOf, weekOf } from '../../src/statistics/index.js';
import { adminHeaders, buildTestApp, createUser, loginAs, testDialects } from '../harness.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;

const NAME = '王小明';
const NATIONAL_ID = 'A123456789';
const OWN_PHONE = '0912-345-678';
const OWN_ACCOUNT = '00123456789012';
const CONTACT = '0987-654-321';
const SITE = 'https://fake-bank-login.com.tw/verify';

/** A victim's report as people write them: who they are, then what the scammers used. */
const MESSAGE =
  `我叫${NAME}，身分證${NATIONAL_ID}，電話${OWN_PHONE}，我的帳戶 (700)${OWN_ACCOUNT} 被凍結。` +
  '詐騙集團要我加LINE：scam_agent88，客服專線 0922-111-333，要我匯款到 (822)123456789012，' +
  `還叫我登入 ${SITE} 。有問題打 0987654321 找我`;

/**
 * Every form the victim's data could take in a JSON answer: the name, the ID number, the phone
 * number as typed and canonical (E.164 holds the national digits), the account digits, the
 * contact as typed and canonical.
 */
const PERSONAL = [NAME, NATIONAL_ID, OWN_PHONE, '912345678', OWN_ACCOUNT, CONTACT, '987654321'];

/**
 * The values of PERSONAL found in `body` (case-insensitive; JSON escapes undone), leaving out the
 * `query` that search and lookup answers echo.
 */
function personalIn(body: string): string[] {
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'query' in parsed) {
      parsed.query = null;
    }
    text = JSON.stringify(parsed);
  } catch {
    // Not JSON (feeds, zone files, Atom): searched as it is.
  }
  const lower = text.toLowerCase();
  return PERSONAL.filter((value) => lower.includes(value.toLowerCase()));
}

interface PublicCase {
  id: string;
  summary: string | null;
  indicators: Array<{ type: string; value: string }>;
  urls: string[];
  staff?: { summary: string | null; personalIndicators: Array<{ type: string; value: string }> };
}

describe.each(testDialects())('personal data on public routes on %s', (dialect) => {
  let ctx: Ctx;
  let caseId = '';
  let confirmation = '';

  const get = (url: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url, headers });
  const post = (
    url: string,
    payload: Record<string, unknown>,
    headers: Record<string, string> = adminHeaders,
  ) => ctx.app.inject({ method: 'POST', url, payload, headers });

  /** GETs a public route, expects 200 and no personal data; returns the answer. */
  async function publicAnswer(url: string) {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    expect(personalIn(res.body), url).toEqual([]);
    return res;
  }

  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
    const res = await post(
      '/api/v1/reports',
      {
        url: SITE,
        text: MESSAGE,
        platform: 'website',
        contact: CONTACT,
        consent: true,
      },
      {},
    );
    expect(res.statusCode, res.body).toBe(201);
    confirmation = res.body;
    caseId = res.json<{ case: PublicCase }>().case.id;
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('shows the case without the victim: summary redacted, only the scammer’s indicators', async () => {
    // The reporter's own confirmation is a public answer too.
    expect(personalIn(confirmation)).toEqual([]);
    const kase = (await publicAnswer(`/api/v1/cases/${caseId}`)).json<{ case: PublicCase }>().case;
    expect(kase.summary).toContain('我叫〔姓名〕，身分證〔身分證號〕，電話〔電話〕');
    expect(kase.summary).toContain('加LINE：scam_agent88');
    expect(kase.indicators).toEqual(
      expect.arrayContaining([
        { type: 'line_id', value: 'scam_agent88' },
        { type: 'phone', value: '+886922111333' },
        { type: 'bank_account', value: '822-123456789012' },
        { type: 'domain', value: 'fake-bank-login.com.tw' },
      ]),
    );
    expect(kase.urls).toContain(SITE);
    expect(kase.staff).toBeUndefined();
    await publicAnswer(`/api/v1/cases/${caseId}/timeline`);
  });

  it('lets nobody find the case by the victim’s data, and finds it by the scammer’s', async () => {
    for (const q of [NAME, NATIONAL_ID, OWN_PHONE, '0912345678', CONTACT, OWN_ACCOUNT]) {
      const search = await publicAnswer(`/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(search.json<{ total: number }>().total, q).toBe(0);
      const lookup = await publicAnswer(`/api/v1/lookup?q=${encodeURIComponent(q)}`);
      expect(lookup.json<{ found: boolean }>().found, q).toBe(false);
    }
    for (const q of ['scam_agent88', '0922-111-333', '詐騙集團']) {
      const search = await publicAnswer(`/api/v1/search?q=${encodeURIComponent(q)}`);
      const hits = search.json<{ hits: Array<{ case: { id: string }; snippet: string }> }>().hits;
      expect(
        hits.map((h) => h.case.id),
        q,
      ).toContain(caseId);
    }
    for (const q of ['scam_agent88', '0922-111-333']) {
      const lookup = await publicAnswer(`/api/v1/lookup?q=${encodeURIComponent(q)}`);
      expect(lookup.json<{ cases: Array<{ id: string }> }>().cases.map((c) => c.id)).toContain(
        caseId,
      );
    }
    await publicAnswer(`/api/v1/lookup?url=${encodeURIComponent(SITE)}`);
  });

  it('keeps the victim out of trending lists, feeds and bulletins', async () => {
    const verdict = await post(`/api/v1/cases/${caseId}/verdict`, { verdict: 'fraud' });
    expect(verdict.statusCode, verdict.body).toBe(200);
    expect(personalIn(verdict.body)).toEqual([]);
    const proposed = await post('/api/v1/blocklist/entries/from-case', { caseId });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const activated = await post(`/api/v1/blocklist/entries/${proposed.json().entry.id}/activate`, {
      legalBasis: { kind: 'court_ruling', reference: '115年度聲字第7號', date: '2026-11-28' },
      requestingUnit: '刑事警察局',
      siteType: '金融',
    });
    expect(activated.statusCode, activated.body).toBe(200);

    const trending = await publicAnswer('/api/v1/cases/trending?window=24h');
    expect(trending.body).toContain(caseId);
    const entries = await publicAnswer('/api/v1/blocklist/feeds/entries.json');
    expect(entries.body).toContain('fake-bank-login.com.tw');
    for (const feed of [
      '/api/v1/blocklist/domains.txt',
      '/api/v1/blocklist/feeds/entries.csv',
      '/api/v1/blocklist/feeds/stix.json',
      '/api/v1/blocklist/feeds/misp/manifest.json',
      '/api/v1/blocklist/rpz.zone',
    ]) {
      await publicAnswer(feed);
    }
    const week = weekOf(localDateOf(ctx.clock.now(), 'Asia/Taipei'), 'sunday');
    await publicAnswer(`/api/v1/bulletins/${week}`);
    await publicAnswer(`/api/v1/bulletins/${week}/csv`);
    await publicAnswer('/api/v1/bulletins/feed.atom');
  });

  it('shows the original to analysts and to the verifier the case is routed to, not to others', async () => {
    const staff = (await get(`/api/v1/cases/${caseId}`, adminHeaders)).json<{ case: PublicCase }>()
      .case;
    expect(staff.summary).not.toContain(NAME);
    expect(staff.staff?.summary).toContain(`我叫${NAME}，身分證${NATIONAL_ID}，電話${OWN_PHONE}`);
    expect(staff.staff?.personalIndicators).toEqual(
      expect.arrayContaining([
        { type: 'phone', value: '+886912345678' },
        { type: 'phone', value: '+886987654321' },
        { type: 'bank_account', value: `700-${OWN_ACCOUNT}` },
      ]),
    );
    const reports = await get(`/api/v1/cases/${caseId}/reports`, adminHeaders);
    expect(reports.json()).toMatchObject({
      reports: [{ text: MESSAGE, contact: '+886987654321' }],
    });

    for (const entity of ['bank-of-taiwan', 'other-bank']) {
      const created = await post('/api/v1/entities', {
        id: entity,
        kind: 'company',
        nameZh: entity === 'bank-of-taiwan' ? '臺灣銀行' : '其他銀行',
        contactEmail: `legal@${entity}.com.tw`,
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const routed = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${caseId}/triage`,
      headers: adminHeaders,
      payload: { routedEntityId: 'bank-of-taiwan', reason: '冒用臺灣銀行' },
    });
    expect(routed.statusCode, routed.body).toBe(200);
    const view = async (entityId: string) => {
      const user = await createUser(ctx, { role: 'verifier', entityIds: [entityId] });
      const session = await loginAs(ctx, user);
      const res = await get(`/api/v1/cases/${caseId}`, session.headers);
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const routedView = (await view('bank-of-taiwan')).json<{ case: PublicCase }>().case;
    expect(routedView.staff?.summary).toContain(NATIONAL_ID);
    const otherView = await view('other-bank');
    expect(otherView.json<{ case: PublicCase }>().case.staff).toBeUndefined();
    expect(personalIn(otherView.body)).toEqual([]);
  });

  it('lets no report hide a scammer’s number by giving it as its own contact', async () => {
    const second = await post(
      '/api/v1/reports',
      {
        url: SITE,
        text: '對方用 0922-111-333 打來，說是銀行客服',
        contact: '0922-111-333',
        consent: true,
      },
      {},
    );
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json<{ case: PublicCase }>().case.id).toBe(caseId);
    const kase = (await publicAnswer(`/api/v1/cases/${caseId}`)).json<{ case: PublicCase }>().case;
    // The first report gives it as the scammer's: it stays public.
    expect(kase.indicators).toContainEqual({ type: 'phone', value: '+886922111333' });
    expect(kase.indicators).toContainEqual({ type: 'line_id', value: 'scam_agent88' });
    expect(kase.indicators).not.toContainEqual({ type: 'phone', value: '+886912345678' });

    // A number one report gives only as its writer's own is public once another names it as the
    // scammer's: it no longer appears only as somebody's own.
    const site = 'https://another-fake-bank.com.tw/';
    const own = await post('/api/v1/reports', { url: site, text: '我的電話 0933-222-111' }, {});
    const otherId = own.json<{ case: PublicCase }>().case.id;
    const ownView = await publicAnswer(`/api/v1/cases/${otherId}`);
    expect(ownView.body).not.toContain('933222111');
    await post('/api/v1/reports', { url: site, text: '對方電話 0933-222-111 自稱銀行' }, {});
    const named = (await publicAnswer(`/api/v1/cases/${otherId}`)).json<{ case: PublicCase }>();
    expect(named.case.indicators).toContainEqual({ type: 'phone', value: '+886933222111' });
    expect(named.case.summary).toBe('我的電話 〔電話〕');
  });

  it('makes the same public forms again on reindex and for a store from before them', async () => {
    const before = (await publicAnswer(`/api/v1/cases/${caseId}`)).json<{ case: PublicCase }>()
      .case;
    await rebuildIndexes(ctx.deps);
    const rebuilt = (await publicAnswer(`/api/v1/cases/${caseId}`)).json<{ case: PublicCase }>()
      .case;
    expect(rebuilt.summary).toBe(before.summary);
    expect(new Set(rebuilt.indicators)).toEqual(new Set(before.indicators));

    // A store migrated from before public forms: nothing redacted, nothing personal, version 0.
    await ctx.deps.db
      .updateTable('cases')
      .set({ public_summary: null, public_form_version: 0 })
      .execute();
    await ctx.deps.db
      .updateTable('reports')
      .set({ public_text: null, public_title: null })
      .execute();
    await ctx.deps.db.updateTable('case_indicators').set({ personal: 0 }).execute();
    expect(personalIn((await get(`/api/v1/cases/${caseId}`)).body)).not.toEqual([]);
    expect(await refreshStalePublicForms(ctx.deps)).toBeGreaterThan(0);
    const refreshed = (await publicAnswer(`/api/v1/cases/${caseId}`)).json<{ case: PublicCase }>()
      .case;
    expect(refreshed.summary).toBe(before.summary);
    expect(refreshed.indicators).toEqual(expect.arrayContaining(before.indicators));
    expect(refreshed.indicators).toHaveLength(before.indicators.length);
    const search = await publicAnswer(`/api/v1/search?q=${encodeURIComponent(NAME)}`);
    expect(search.json<{ total: number }>().total).toBe(0);
    expect(await refreshStalePublicForms(ctx.deps)).toBe(0);
    // The raw columns are what a direct reader of the store would see.
    const raw = await sql<{
      n: number;
    }>`select count(*) as n from reports where public_text is not null`.execute(ctx.deps.db);
    expect(Number(raw.rows[0]?.n)).toBeGreaterThan(0);
  });
});
