import type { ServiceDeps } from '../shared/deps.js';
import { listNoticeIdsOfCase } from './cases.repo.js';
import { requireCase } from './cases.service.js';

import { listEvents } from '../log/index.js';
import type { TimelineStep } from '../vocabulary/index.js';
import type { StoredEvent } from '../log/index.js';
import { can, type Actor } from '../policy/index.js';
/** The steps a fraud website's blocking records produce (case.status_changed → step). */
const BLOCK_STEPS: readonly TimelineStep[] = [
  'block_proposed',
  'blocked',
  'block_appealed',
  'block_lifted',
];

export interface PublicTimelineEntry {
  step: TimelineStep;
  at: string;
  /**
   * Public details: scam type and platform, verdict, notified platform; `source` when the step
   * comes from an imported data set (e.g. `tw165`: the 165 hotline's open data), not from
   * scamnet's own process.
   */
  detail: Record<string, string>;
}

/** An audit event of the case or of its notices, as staff see it (the whole StoredEvent). */
export type StaffTimelineEntry = StoredEvent;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The data set an event came from, when its actor is an import (`import:tw165` → `tw165`). */
function importSource(actor: string): string | undefined {
  return actor.startsWith('import:') ? actor.slice('import:'.length) : undefined;
}

/**
 * The public reading of audit events: no actors, no notes, no internal IDs. Steps are in time
 * order; a case's report step is dated by its first report (an imported row keeps its
 * publisher's date), and a decision taken by an imported data set says so and drops the
 * routing step that scamnet's triage recorded before applying it (the case was never sent to
 * anyone for confirmation).
 */
function toPublic(events: readonly StoredEvent[], firstReportedAt: string): PublicTimelineEntry[] {
  const out: PublicTimelineEntry[] = [];
  let routed = false;
  let importedDecision = false;
  for (const e of events) {
    const after =
      typeof e.data.after === 'object' && e.data.after !== null
        ? (e.data.after as Record<string, unknown>)
        : {};
    const source = importSource(e.actor);
    const fromSource: Record<string, string> = source === undefined ? {} : { source };
    switch (e.type) {
      case 'case.created':
        out.push({
          step: 'reported',
          at: firstReportedAt < e.at ? firstReportedAt : e.at,
          detail: fromSource,
        });
        break;
      case 'case.triaged': {
        // The public sees the current classification: a later triage (an analyst's correction)
        // replaces the details of the step, keeping its first time.
        const detail = {
          scamType: str(after.scamType) ?? 'other',
          platform: str(after.platform) ?? 'other',
        };
        const earlier = out.find((x) => x.step === 'triaged');
        if (earlier !== undefined) earlier.detail = detail;
        else out.push({ step: 'triaged', at: e.at, detail });
        const to = str(e.data.routedTo);
        if (!routed && to !== undefined) {
          routed = true;
          out.push({
            step: to === 'impersonated_party' ? 'sent_to_party' : 'sent_to_agency',
            at: e.at,
            detail: {},
          });
        }
        break;
      }
      case 'case.verdict':
        importedDecision = source !== undefined;
        out.push({
          step: 'decided',
          at: e.at,
          detail: { verdict: str(after.verdict) ?? str(e.data.verdict) ?? '', ...fromSource },
        });
        break;
      case 'case.notice_sent':
        out.push({
          step: 'platform_notified',
          at: e.at,
          detail: { platform: str(e.data.platform) ?? '' },
        });
        break;
      case 'case.removed':
        // A website's "removal" is a publisher's DNS suspension (the 165 list): a block.
        out.push({
          step: str(e.data.status) === 'blocked' ? 'blocked' : 'removed',
          at: e.at,
          detail: fromSource,
        });
        break;
      case 'case.status_changed': {
        const to = str(e.data.after);
        const step = BLOCK_STEPS.find((s) => s === to);
        if (step !== undefined) out.push({ step, at: e.at, detail: {} });
        break;
      }
      default:
        break;
    }
  }
  const steps = importedDecision
    ? out.filter((x) => x.step !== 'sent_to_party' && x.step !== 'sent_to_agency')
    : out;
  // Stable: events of one instant keep the order they were recorded in.
  return steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.at.localeCompare(b.step.at) || a.i - b.i)
    .map((x) => x.step);
}

/**
 * The timeline of a case from its audit trail. Everyone gets the public steps; analysts and
 * admins also get every event (the case's and its notices'), with actor, reason and
 * before/after. @throws 404 `case_not_found`.
 */
export async function getTimeline(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  caseId: string,
): Promise<{ steps: PublicTimelineEntry[]; events?: StaffTimelineEntry[] }> {
  const row = await requireCase(deps.db, caseId);
  const events = await listEvents(deps.db, 'case', caseId);
  const steps = toPublic(events, row.first_reported_at);
  if (!can(actor, 'case.read_history')) return { steps };
  const notices = await listNoticeIdsOfCase(deps.db, caseId);
  const noticeEvents = (
    await Promise.all(notices.map((id) => listEvents(deps.db, 'takedown_notice', id)))
  ).flat();
  const all = [...events, ...noticeEvents].sort((a, b) => a.seq - b.seq);
  return {
    steps,
    events: all,
  };
}
