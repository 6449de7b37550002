/**
 * The public Merkle log carries no personal data: every event type scamnet can record is driven
 * through the HTTP API (the import through the service the CLI calls), with distinctive markers
 * planted in every e-mail address, name, phone number, report text, note, reason, answer, key
 * name, webhook URL, client IP and User-Agent, and secrets; then every public output of the log
 * (entries, tree heads, proofs, key) is read and must hold none of them. The staff audit trail
 * must still hold the sealed values, and each leaf must bind them by digest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { appendLeaf } from '../../src/log/log.repo.js';
import { importRows, readImportFile } from '../../src/intake/index.js';
import { adminHeaders, buildTestApp, testDialects } from '../harness.js';
import { HSIEH_CHIN_HO } from '../factories.js';
import { startContentSite, startSmtp } from '../workflow/support.js';

import {
  EVENT_TYPES,
  RETIRED_EVENT_TYPES,
  auditLog,
  canonicalJson,
  createDisclosure,
  disclosureDigest,
  eventLeafInput,
  integrateLog,
  leafHash,
  listEvents,
  parseDisclosure,
} from '../../src/log/index.js';
type Ctx = Awaited<ReturnType<typeof buildTestApp>>;
const HOUR = 3_600_000;

/** Personal data and free text planted in the run; none may appear in a public log output. */
const MARKER = {
  staffEmail: 'zq.staff.mark@example.test',
  staffName: 'Zq陳staffmark',
  staffRenamed: 'Zq林renamedmark',
  reporterEmail: 'zq.reporter.mark@example.test',
  reporterName: 'Zq王reportermark',
  contactEmail: 'zq.contact.mark@example.test',
  reportText: 'ZQREPORTTEXTMARK',
  ip: '203.0.113.77',
  userAgent: 'ZqUserAgentMark/1.0',
  keyName: 'ZqKeyNameMark',
  entityEmail: 'zq.entity.mark@example.test',
  entityEmail2: 'zq.entity2.mark@example.test',
  ruleNote: 'ZqRuleNoteMark',
  webhookPath: 'zq-webhook-mark',
  channelEmail: 'zq.channel.mark@example.test',
  escalationEmail: 'zq.duty.mark@example.test',
  question: 'ZqQuestionMark',
  answer: 'ZqAnswerMark',
  decisionNote: 'ZqDecisionNoteMark',
  verdictNote: 'ZqVerdictNoteMark',
  rejectReason: 'ZqRejectReasonMark',
  triageReason: 'ZqTriageReasonMark',
  mergeNote: 'ZqMergeNoteMark',
  splitNote: 'ZqSplitNoteMark',
  proposeNote: 'ZqProposeNoteMark',
  activateNote: 'ZqActivateNoteMark',
  appealNote: 'ZqAppealNoteMark',
  reinstateNote: 'ZqReinstateNoteMark',
  liftNote: 'ZqLiftNoteMark',
  reminder: 'ZqReminderMark',
  importNote: 'ZqImportNoteMark',
  importText: 'ZQIMPORTTEXTMARK',
} as const;
/** The reporter's phone as typed; stored as +886912345678. */
const PHONE = '0912 345 678';
const PHONE_DIGITS = '912345678';
const WEBHOOK_SECRET = 'zq-webhook-secret-0123456789';
const REPORTER_PASSWORD = 'zq-reporter-password-1';
const REPORTER_NEW_PASSWORD = 'zq-reporter-password-2';

describe.each(testDialects())('no personal data in the public log on %s', (dialect) => {
  let ctx: Ctx;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let content: Awaited<ReturnType<typeof startContentSite>>;
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-logpii-'));
  /** Secrets seen in the run (passwords, keys, tokens): none may reach the log either. */
  const secrets: string[] = [WEBHOOK_SECRET, REPORTER_PASSWORD, REPORTER_NEW_PASSWORD];

  beforeAll(async () => {
    smtp = await startSmtp();
    content = await startContentSite();
    ctx = await buildTestApp(dialect, {
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'scamnet <noreply@scamnet.test>',
        PUBLIC_BASE_URL: 'https://scamnet.test',
        DECISION_LINK_SECRET: 'decision-link-secret-for-tests-0123456789',
        ESCALATION_EMAIL: MARKER.escalationEmail,
        SWEEP_INTERVAL_SECONDS: '0',
        ...content.env,
      },
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await smtp?.close();
    await content?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  type Inject = Ctx['app']['inject'];
  const inject: Inject = (...args: Parameters<Inject>) => ctx.app.inject(...args);
  /** A request that must succeed (from the planted IP and User-Agent); its JSON body, {} for 204. */
  async function ok(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: Record<string, unknown>,
    headers: Record<string, string> = adminHeaders,
  ) {
    const res = await inject({
      method,
      url,
      headers: { ...headers, 'user-agent': MARKER.userAgent },
      remoteAddress: MARKER.ip,
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.statusCode === 204 ? {} : res.json();
  }
  const sweep = () => ok('POST', '/api/v1/sweep');
  const page = (name: string) => `http://127.0.0.1:${content.port}/${name}`;
  async function report(payload: Record<string, unknown>, headers: Record<string, string> = {}) {
    const body = await ok('POST', '/api/v1/reports', payload, headers);
    return String(body.case.id);
  }
  async function noticeOf(caseId: string): Promise<string> {
    const list = await ok('GET', `/api/v1/notices?platform=facebook`);
    const notice = list.notices.find((n: { caseId: string }) => n.caseId === caseId);
    return String(notice.id);
  }

  it('records every event type, and no leaf, tree head or proof holds the planted data', async () => {
    // Entities, routing rules and the platform's delivery channel.
    await ok('POST', '/api/v1/entities', { ...HSIEH_CHIN_HO, contactEmail: MARKER.entityEmail });
    await ok('PATCH', '/api/v1/entities/hsieh-chin-ho', { contactEmail: MARKER.entityEmail2 });
    const rules = (await ok('GET', '/api/v1/routing-rules')).rules;
    await ok('PUT', '/api/v1/routing-rules', {
      rules: rules.map(
        (r: { id: number; note: string | null }, i: number): Record<string, unknown> => {
          const { id, ...rest } = r;
          expect(id).toBeTypeOf('number');
          return { ...rest, note: i === 0 ? MARKER.ruleNote : rest.note };
        },
      ),
    });
    await ok('PUT', '/api/v1/platforms/facebook/channel', {
      // Nothing listens on port 9: every webhook delivery fails until it is given up.
      webhookUrl: `http://127.0.0.1:9/${MARKER.webhookPath}`,
      webhookSecret: WEBHOOK_SECRET,
      email: MARKER.channelEmail,
    });

    // Staff and reporter accounts, a password change, API keys.
    const staff = await ok('POST', '/api/v1/users', {
      email: MARKER.staffEmail,
      role: 'analyst',
      displayName: MARKER.staffName,
    });
    secrets.push(String(staff.generatedPassword));
    await ok('PATCH', `/api/v1/users/${staff.user.id}`, { displayName: MARKER.staffRenamed });
    await ok('POST', `/api/v1/users/${staff.user.id}/disable`);
    await ok('POST', `/api/v1/users/${staff.user.id}/enable`);
    const reset = await ok('POST', `/api/v1/users/${staff.user.id}/password`, {});
    secrets.push(String(reset.generatedPassword));
    await ok('POST', '/api/v1/users', {
      email: MARKER.reporterEmail,
      role: 'reporter',
      displayName: MARKER.reporterName,
      password: REPORTER_PASSWORD,
    });
    const login = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'user-agent': MARKER.userAgent },
      remoteAddress: MARKER.ip,
      payload: { email: MARKER.reporterEmail, password: REPORTER_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const token = login.cookies.find((c) => c.name === 'scamnet_session')?.value ?? '';
    const csrf = String(login.json().csrfToken);
    secrets.push(token, csrf);
    const reporter = { cookie: `scamnet_session=${token}`, 'x-csrf-token': csrf };
    await ok(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: REPORTER_PASSWORD, newPassword: REPORTER_NEW_PASSWORD },
      reporter,
    );
    const relogin = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: MARKER.ip,
      payload: { email: MARKER.reporterEmail, password: REPORTER_NEW_PASSWORD },
    });
    const session = {
      cookie: `scamnet_session=${relogin.cookies.find((c) => c.name === 'scamnet_session')?.value ?? ''}`,
      'x-csrf-token': String(relogin.json().csrfToken),
    };
    const verifierKey = await ok('POST', '/api/v1/api-keys', {
      name: MARKER.keyName,
      role: 'verifier',
      entityIds: ['hsieh-chin-ho'],
    });
    const liaisonKey = await ok('POST', '/api/v1/api-keys', {
      name: `${MARKER.keyName} liaison`,
      role: 'platform_liaison',
      platform: 'facebook',
    });
    const spareKey = await ok('POST', '/api/v1/api-keys', { name: 'spare', role: 'analyst' });
    await ok('POST', `/api/v1/api-keys/${String(spareKey.apiKey.id)}/revoke`);
    secrets.push(String(verifierKey.key), String(liaisonKey.key), String(spareKey.key));
    const verifier = { authorization: `Bearer ${String(verifierKey.key)}` };
    const liaison = { authorization: `Bearer ${String(liaisonKey.key)}` };

    // Case 1: a signed-in reporter's report, routed to the impersonated figure, decided through
    // the e-mailed link (need_info), answered, then confirmed by the verifier with a note.
    const case1 = await report(
      {
        url: page('post-1'),
        text: `謝金河親自帶你投資飆股！加入LINE群組 ${MARKER.reportText}`,
        platform: 'facebook',
        contact: PHONE,
        consent: true,
      },
      session,
    );
    await report({
      url: page('post-1'),
      text: `${MARKER.reportText} 謝金河帶單`,
      platform: 'facebook',
      contact: MARKER.contactEmail,
      consent: true,
    });
    await sweep();
    const mail = smtp.messages.find((m) => m.to.includes(MARKER.entityEmail2));
    const link = /\/decide\/([\w-]+\.[\w-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(link).not.toBe('');
    secrets.push(link);
    await ok(
      'POST',
      `/api/v1/decision-links/${link}`,
      { decision: 'need_info', question: MARKER.question },
      {},
    );
    await ok('POST', `/api/v1/cases/${case1}/info-answer`, { answer: MARKER.answer });
    await ok(
      'POST',
      `/api/v1/cases/${case1}/decision`,
      { decision: 'fraud', note: MARKER.decisionNote },
      verifier,
    );
    await ok('POST', `/api/v1/cases/${case1}/captures`);
    // The platform claims removal while the content stays up: the re-check contradicts it.
    const notice1 = await noticeOf(case1);
    await ok('POST', `/api/v1/notices/${notice1}/acknowledge`, undefined, liaison);
    await ok('POST', `/api/v1/notices/${notice1}/outcome`, { outcome: 'removed' }, liaison);

    // Case 2: confirmed by staff with a note; scamnet sees the content removed.
    const case2 = await report({ url: page('post-2'), text: '飆股老師帶單', platform: 'facebook' });
    await ok('POST', `/api/v1/cases/${case2}/verdict`, {
      verdict: 'fraud',
      note: MARKER.verdictNote,
    });
    content.removed.add('/post-2');
    // Case 3: the platform misses the deadline, then rejects with a reason.
    const case3 = await report({ url: page('post-3'), text: '保證獲利群組', platform: 'facebook' });
    await ok('POST', `/api/v1/cases/${case3}/verdict`, { verdict: 'fraud' });
    // Case 4: a fraud verdict reversed withdraws its notice.
    const case4 = await report({ url: page('post-4'), text: '穩賺不賠', platform: 'facebook' });
    await ok('POST', `/api/v1/cases/${case4}/verdict`, { verdict: 'fraud' });
    await ok('POST', `/api/v1/cases/${case4}/verdict`, { verdict: 'not_fraud' });
    // Case 5: a message seen on Facebook with nothing Facebook can act on: no notice is sent.
    const case5 = await report({ text: '投資群組飆股明牌，名額有限', platform: 'facebook' });
    await ok('POST', `/api/v1/cases/${case5}/verdict`, { verdict: 'fraud' });

    // Triage override, merge and split with notes.
    const caseA = await report({ text: '高薪兼職在家工作，日領三千，加賴詳談' });
    const caseB = await report({ text: '網拍打工，輕鬆月入十萬，私訊了解' });
    await ok('PATCH', `/api/v1/cases/${caseA}/triage`, {
      scamType: 'money_mule',
      reason: MARKER.triageReason,
    });
    await ok('POST', `/api/v1/cases/${caseA}/merge`, {
      sourceCaseId: caseB,
      note: MARKER.mergeNote,
    });
    const reports = (await ok('GET', `/api/v1/cases/${caseA}/reports`)).reports;
    await ok('POST', `/api/v1/cases/${caseA}/split`, {
      reportIds: [String(reports[0].id)],
      note: MARKER.splitNote,
    });

    // Blocklist: from a case (proposed), activated, linked to a second case, appealed,
    // reinstated, lifted; another entry activated with an expiry that passes.
    const site1 = await report({ url: 'https://zq-shop-scam.com.tw/pay', platform: 'website' });
    await ok('POST', `/api/v1/cases/${site1}/verdict`, { verdict: 'fraud' });
    const entry = (
      await ok('POST', '/api/v1/blocklist/entries/from-case', {
        caseId: site1,
        note: MARKER.proposeNote,
      })
    ).entry;
    const basis = { kind: 'court_ruling', reference: '115年度聲字第7號', date: '2026-11-28' };
    await ok('POST', `/api/v1/blocklist/entries/${String(entry.id)}/activate`, {
      legalBasis: basis,
      requestingUnit: '刑事警察局',
      note: MARKER.activateNote,
    });
    const site2 = await report({ url: 'https://zq-shop-scam.com.tw/cart', platform: 'website' });
    await ok('POST', `/api/v1/cases/${site2}/verdict`, { verdict: 'fraud' });
    await ok('POST', '/api/v1/blocklist/entries/from-case', { caseId: site2 });
    for (const [transition, note] of [
      ['appeal', MARKER.appealNote],
      ['reinstate', MARKER.reinstateNote],
      ['lift', MARKER.liftNote],
    ] as const) {
      await ok('POST', `/api/v1/blocklist/entries/${String(entry.id)}/${transition}`, { note });
    }
    const expiring = (
      await ok('POST', '/api/v1/blocklist/entries', {
        domain: 'zq-expiring-scam.com.tw',
        legalBasis: basis,
        requestingUnit: '刑事警察局',
      })
    ).entry;
    await ok('POST', `/api/v1/blocklist/entries/${String(expiring.id)}/activate`, {
      expiresAt: new Date(ctx.clock.now() + HOUR).toISOString(),
    });

    // Bulletin reminders (a draft) and publication of a week that has ended.
    await ok('PUT', '/api/v1/bulletins/2026-W40/reminders', { reminders: [MARKER.reminder] });
    await ok('POST', '/api/v1/bulletins/2026-W40/publish');

    // Imports (what `scamnet import` runs): reports with text, a list with a verdict and a note,
    // and 165's DNS-suspended shops (fraud, removed).
    const jsonl = path.join(dir, 'reports.jsonl');
    writeFileSync(jsonl, `{"text":"${MARKER.importText} 加LINE領取投資明牌","externalId":"zq1"}\n`);
    await importRows(ctx.deps, readImportFile(jsonl, 'jsonl'));
    const domains = path.join(dir, 'zq-list.txt');
    writeFileSync(domains, 'zq-imported-scam.com.tw\n');
    await importRows(
      ctx.deps,
      readImportFile(domains, 'domains', { verdict: 'fraud', note: MARKER.importNote }),
    );
    const suspended = path.join(dir, 'suspended.csv');
    writeFileSync(
      suspended,
      '編號,一頁式詐騙購物網站,偽冒網址,網域名稱,詐騙網站創立日期,接獲通報日期,停止解析日期\n' +
        '1,連至PChome 24H購物網站首頁,https://zq-suspended.com.tw/login,zq-suspended.com.tw,' +
        '2026-06-20T15:13:38,2026-06-29T00:00:00,2026-06-30T00:00:00\n',
    );
    await importRows(ctx.deps, readImportFile(suspended, 'tw165-dns-suspended'));

    // A day and a half of sweeps: deliveries retried and given up, re-checks, deadlines missed
    // (overdue, sanction, escalation), the blocklist entry's expiry.
    for (let hour = 0; hour < 36; hour += 1) {
      ctx.clock.advance(HOUR);
      await sweep();
    }
    // Rendering the zone expires due entries.
    expect((await inject({ url: '/api/v1/blocklist/rpz.zone' })).statusCode).toBe(200);
    const notice3 = await noticeOf(case3);
    await ok(
      'POST',
      `/api/v1/notices/${notice3}/outcome`,
      { outcome: 'rejected', reason: MARKER.rejectReason },
      liaison,
    );

    // Every public output of the log, once the sequencer has integrated every event.
    await integrateLog(ctx.deps);
    const sth = await ok('GET', '/api/v1/log/sth');
    const size = Number(sth.treeSize);
    const leaves: string[] = [];
    for (let start = 0; start < size; start += 1000) {
      const end = Math.min(start + 999, size - 1);
      const body = await ok('GET', `/api/v1/log/entries?start=${start}&end=${end}`, undefined, {});
      for (const entry of body.entries) leaves.push(String(entry.leafInput));
    }
    expect(leaves).toHaveLength(size);
    const outputs = [
      JSON.stringify(sth),
      JSON.stringify(await ok('GET', '/api/v1/log/key', undefined, {})),
      JSON.stringify(await ok('GET', `/api/v1/log/proof/inclusion?leaf=0`, undefined, {})),
      JSON.stringify(await ok('GET', `/api/v1/log/proof/consistency?first=1`, undefined, {})),
    ];

    const recorded = new Set(leaves.map((leaf) => String(JSON.parse(leaf).type)));
    expect(
      EVENT_TYPES.filter((type) => !recorded.has(type) && !RETIRED_EVENT_TYPES.includes(type)),
    ).toEqual([]);
    // A notice's targets may hold a victim's phone written without a recognised cue: sealed.
    const sent = leaves
      .map((leaf) => JSON.parse(leaf))
      .filter((leaf) => leaf.type === 'takedown_notice.created');
    expect(sent.length).toBeGreaterThan(0);
    for (const leaf of sent) {
      expect(leaf.data.targets).toBeUndefined();
      expect(leaf.data._sd?.length).toBeGreaterThan(0);
    }

    const planted = [...Object.values(MARKER), PHONE_DIGITS, ...secrets].filter((s) => s !== '');
    const found: string[] = [];
    for (const text of [...leaves, ...outputs]) {
      const lower = text.toLowerCase();
      for (const marker of planted) {
        if (lower.includes(marker.toLowerCase())) found.push(`${marker} in ${text.slice(0, 300)}`);
      }
    }
    expect(found).toEqual([]);

    // The staff audit trail keeps what the leaves seal, and each leaf binds it by digest.
    const [created] = await listEvents(ctx.deps.db, 'user', staff.user.id);
    expect(created?.data).toMatchObject({
      email: MARKER.staffEmail,
      displayName: MARKER.staffName,
      role: 'analyst',
    });
    const row = await ctx.deps.db
      .selectFrom('events')
      .select(['seq', 'data', 'disclosures'])
      .where('type', '=', 'user.created')
      .where('subject_id', '=', staff.user.id)
      .executeTakeFirstOrThrow();
    const disclosures: unknown = JSON.parse(row.disclosures ?? '[]');
    expect(Array.isArray(disclosures)).toBe(true);
    const email = (Array.isArray(disclosures) ? disclosures : [])
      .map(String)
      .find((d) => parseDisclosure(d)?.name === 'email');
    expect(parseDisclosure(email ?? '')?.value).toBe(MARKER.staffEmail);
    const leaf = leaves.find((l) => JSON.parse(l).seq === Number(row.seq)) ?? '{}';
    expect(JSON.parse(leaf).data._sd).toContain(disclosureDigest(email ?? ''));
    const timeline = await ok('GET', `/api/v1/cases/${case2}/timeline`);
    expect(
      timeline.events.find((e: { type: string }) => e.type === 'case.verdict').data,
    ).toMatchObject({ note: MARKER.verdictNote, after: { verdict: 'fraud' } });

    const audit = await auditLog(ctx.deps);
    expect(audit.problems).toEqual([]);
    expect(audit.leavesOutsideAllowList).toBe(0);
  });

  it('the audit warns of an old leaf holding personal data and fails an altered sealed value', async () => {
    // A leaf as recordEvent wrote it before the allow-list: the e-mail in clear.
    const legacy = {
      at: new Date(ctx.clock.now()).toISOString(),
      type: 'user.created',
      subjectType: 'user',
      subjectId: 'ulegacy',
      actor: 'admin:token',
      data: { email: 'old.account@example.test', role: 'analyst' },
    };
    await ctx.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('events')
        .values({
          at: legacy.at,
          type: legacy.type,
          subject_type: legacy.subjectType,
          subject_id: legacy.subjectId,
          actor: legacy.actor,
          data: canonicalJson(legacy.data),
        })
        .returning('seq')
        .executeTakeFirstOrThrow();
      const seq = Number(row.seq);
      await appendLeaf(trx, seq, leafHash(eventLeafInput({ ...legacy, seq })));
    });
    const warned = await auditLog(ctx.deps);
    expect(warned.problems).toEqual([]);
    expect(warned.leavesOutsideAllowList).toBe(1);
    expect(warned.warnings).toEqual([
      expect.stringMatching(/\(event \d+, user\.created\): email$/),
    ]);
    expect(warned.warnings.join('\n')).not.toContain('old.account@example.test');

    const sealed = await ctx.deps.db
      .selectFrom('events')
      .select('seq')
      .where('type', '=', 'case.verdict')
      .where('disclosures', 'is not', null)
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    await ctx.deps.db
      .updateTable('events')
      .set({ disclosures: JSON.stringify([createDisclosure('note', 'an altered note')]) })
      .where('seq', '=', sealed.seq)
      .execute();
    const altered = await auditLog(ctx.deps);
    expect(altered.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^leaf \\d+: 1 sealed field\\(s\\) of event ${Number(sealed.seq)} are not bound`,
        ),
      ),
    ]);
  });
});
