import { listEvents, type StoredEvent } from '../evidence/index.js';
import type { Actor } from '../identity/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { notFound } from '../shared/errors.js';
import { findCase } from './cases.repo.js';

/** Public progress steps (the reference site's 處理進度). */
export type TimelineStep =
  | 'reported'
  | 'triaged'
  | 'sent_to_party'
  | 'sent_to_agency'
  | 'decided'
  | 'platform_notified'
  | 'removed';

export interface PublicTimelineEntry {
  step: TimelineStep;
  at: string;
  /** Public details: scam type and platform, verdict, notified platform. */
  detail: Record<string, string>;
}

export interface StaffTimelineEntry {
  seq: number;
  at: string;
  type: string;
  subjectType: string;
  subjectId: string;
  actor: string;
  data: Record<string, unknown>;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The public reading of audit events: no actors, no notes, no internal IDs. */
function toPublic(events: readonly StoredEvent[]): PublicTimelineEntry[] {
  const out: PublicTimelineEntry[] = [];
  let routed = false;
  for (const e of events) {
    const after =
      typeof e.data.after === 'object' && e.data.after !== null
        ? (e.data.after as Record<string, unknown>)
        : {};
    switch (e.type) {
      case 'case.created':
        out.push({ step: 'reported', at: e.at, detail: {} });
        break;
      case 'case.triaged': {
        // The public sees the current classification: a later triage (an analyst's correction)
        // replaces the details of the step, keeping its first time.
        const earlier = out.find((x) => x.step === 'triaged');
        if (earlier !== undefined) {
          earlier.detail = {
            scamType: str(after.scamType) ?? 'other',
            platform: str(after.platform) ?? 'other',
          };
        } else {
          out.push({
            step: 'triaged',
            at: e.at,
            detail: {
              scamType: str(after.scamType) ?? 'other',
              platform: str(after.platform) ?? 'other',
            },
          });
        }
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
        out.push({
          step: 'decided',
          at: e.at,
          detail: { verdict: str(after.verdict) ?? str(e.data.verdict) ?? '' },
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
        out.push({ step: 'removed', at: e.at, detail: {} });
        break;
      default:
        break;
    }
  }
  return out;
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
  const row = await findCase(deps.db, caseId);
  if (row === undefined) throw notFound('case_not_found', `No case with ID ${caseId}.`);
  const events = await listEvents(deps.db, 'case', caseId);
  const steps = toPublic(events);
  if (actor.role !== 'analyst' && actor.role !== 'admin') return { steps };
  const notices = await deps.db
    .selectFrom('takedown_notices')
    .select('id')
    .where('case_id', '=', caseId)
    .execute();
  const noticeEvents = (
    await Promise.all(notices.map((n) => listEvents(deps.db, 'takedown_notice', n.id)))
  ).flat();
  const all = [...events, ...noticeEvents].sort((a, b) => a.seq - b.seq);
  return {
    steps,
    events: all.map((e) => ({
      seq: e.seq,
      at: e.at,
      type: e.type,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      actor: e.actor,
      data: e.data,
    })),
  };
}
