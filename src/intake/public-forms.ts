import type { Kysely } from 'kysely';
import { redactPersonalData } from '../indicators/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import type { Database } from '../store/index.js';
import { prepareStoredReport } from './intake.service.js';
import { clipSummary, PUBLIC_FORM_VERSION } from './public-text.js';

/** Characters of a summary (intake's SUMMARY_CHARS). */
const SUMMARY_CHARS = 280;

/** A public form as stored: null when it is the original (nothing was redacted). */
function stored(original: string | null, publicForm: string | null): string | null {
  return publicForm === original ? null : publicForm;
}

/**
 * Makes again, inside `trx`, everything public pages read of case `caseId` instead of its
 * reports: each report's public text and title (its own follow-up contact redacted too), the
 * case's public summary (the public form of the report its summary came from, else the summary
 * redacted of every contact of the case), and which indicator links are personal: those that
 * every report giving them gives only as personal data, its own follow-up contact included
 * (links no report gives, such as an import's subjects, stay public). Marks the case as made with
 * PUBLIC_FORM_VERSION. Used after merges and splits, by `scamnet reindex` and when the rule
 * changed (refreshStalePublicForms). Linear in the case's reports.
 */
export async function refreshCasePublicForms(
  trx: Kysely<Database>,
  options: Pick<ServiceDeps['config'], 'defaultRegion'>,
  caseId: string,
): Promise<void> {
  const kase = await trx
    .selectFrom('cases')
    .select(['summary', 'public_summary'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (kase === undefined) return;
  const reports = await trx
    .selectFrom('reports')
    .select([
      'id',
      'url',
      'text',
      'title',
      'source',
      'reporter_contact as reporterContact',
      'public_text as publicText',
      'public_title as publicTitle',
    ])
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  const contacts = reports.flatMap((r) => (r.reporterContact === null ? [] : [r.reporterContact]));
  const personalIn = new Map<string, boolean>();
  let publicSummary: string | null | undefined;
  for (const report of reports) {
    const prepared = prepareStoredReport(report, options);
    const redact = (text: string | null) =>
      text === null
        ? null
        : redactPersonalData(text, {
            policy: 'public',
            defaultRegion: options.defaultRegion,
            ownContacts: report.reporterContact === null ? [] : [report.reporterContact],
          });
    // A report intake would now refuse is still shown redacted (strictly: nothing to read it by).
    const publicText = prepared === null ? redact(report.text) : prepared.publicText;
    const publicTitle = prepared === null ? redact(report.title) : prepared.publicTitle;
    if (prepared !== null) {
      for (const indicator of prepared.indicators) {
        personalIn.set(indicator.id, (personalIn.get(indicator.id) ?? true) && indicator.personal);
      }
      if (publicSummary === undefined && prepared.summary !== null) {
        if (prepared.summary === kase.summary) publicSummary = prepared.publicSummary;
      }
    }
    const text = stored(report.text, publicText);
    const title = stored(report.title, publicTitle);
    if (text !== report.publicText || title !== report.publicTitle) {
      await trx
        .updateTable('reports')
        .set({ public_text: text, public_title: title })
        .where('id', '=', report.id)
        .execute();
    }
  }
  if (publicSummary === undefined) {
    publicSummary =
      kase.summary === null
        ? null
        : clipSummary(
            redactPersonalData(kase.summary, {
              policy: 'public',
              defaultRegion: options.defaultRegion,
              ownContacts: contacts,
            }),
            SUMMARY_CHARS,
          );
  }
  await trx
    .updateTable('cases')
    .set({
      public_summary: stored(kase.summary, publicSummary),
      public_form_version: PUBLIC_FORM_VERSION,
    })
    .where('id', '=', caseId)
    .execute();

  const links = await trx
    .selectFrom('case_indicators')
    .select(['indicator_id', 'personal'])
    .where('case_id', '=', caseId)
    .execute();
  const change: Record<0 | 1, string[]> = { 0: [], 1: [] };
  for (const link of links) {
    const personal = personalIn.get(link.indicator_id) === true ? 1 : 0;
    if (Number(link.personal) !== personal) change[personal].push(link.indicator_id);
  }
  for (const personal of [0, 1] as const) {
    const ids = change[personal];
    for (let i = 0; i < ids.length; i += 500) {
      await trx
        .updateTable('case_indicators')
        .set({ personal })
        .where('case_id', '=', caseId)
        .where('indicator_id', 'in', ids.slice(i, i + 500))
        .execute();
    }
  }
}

/**
 * Makes the public forms (refreshCasePublicForms) of every case made with an older rule than
 * PUBLIC_FORM_VERSION — all cases of a store from before public forms existed — in transactions
 * of `batch` cases. Called when the store is opened, before anything is served, so no public
 * route reads a form made with an older rule. Returns the number of cases made again.
 */
export async function refreshStalePublicForms(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  batch = 200,
): Promise<number> {
  let done = 0;
  for (;;) {
    const ids = await deps.db
      .selectFrom('cases')
      .select('id')
      .where('public_form_version', '<', PUBLIC_FORM_VERSION)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (ids.length === 0) return done;
    await deps.db.transaction().execute(async (trx) => {
      for (const { id } of ids) await refreshCasePublicForms(trx, deps.config, id);
    });
    done += ids.length;
  }
}
