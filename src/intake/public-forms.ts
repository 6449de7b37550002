import type { Kysely } from 'kysely';
import { findCase, listCasesWithFormsBefore, setCasePublicSummary } from '../cases/index.js';
import { redactPersonalData } from '../indicators/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { storedPublicForm } from '../shared/text.js';
import type { Database } from '../store/index.js';
import {
  indicatorLinksOf,
  reportsOfCase,
  setLinksPersonal,
  setReportPublicForms,
} from './intake.repo.js';
import { prepareStoredReport } from './intake.service.js';
import { clipSummary, PUBLIC_FORM_VERSION } from './public-text.js';

/** Characters of a summary (intake's SUMMARY_CHARS). */
const SUMMARY_CHARS = 280;

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
  const kase = await findCase(trx, caseId);
  if (kase === undefined) return;
  const reports = await reportsOfCase(trx, caseId);
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
    const text = storedPublicForm(report.text, publicText);
    const title = storedPublicForm(report.title, publicTitle);
    if (text !== report.publicText || title !== report.publicTitle) {
      await setReportPublicForms(trx, report.id, { text, title });
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
  await setCasePublicSummary(
    trx,
    caseId,
    storedPublicForm(kase.summary, publicSummary),
    PUBLIC_FORM_VERSION,
  );

  const change = { public: [] as string[], personal: [] as string[] };
  for (const link of await indicatorLinksOf(trx, caseId)) {
    const personal = personalIn.get(link.indicatorId) === true;
    if (link.personal !== personal) change[personal ? 'personal' : 'public'].push(link.indicatorId);
  }
  await setLinksPersonal(trx, caseId, change.public, false);
  await setLinksPersonal(trx, caseId, change.personal, true);
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
    const ids = await listCasesWithFormsBefore(deps.db, PUBLIC_FORM_VERSION, batch);
    if (ids.length === 0) return done;
    await deps.db.transaction().execute(async (trx) => {
      for (const id of ids) await refreshCasePublicForms(trx, deps.config, id);
    });
    done += ids.length;
  }
}
