import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../api';
import { Fact } from './fact';
import { TaipeiTime } from './taipei-time';

/** Audit event types of a case and its notices, with their translation keys under `auditType`. */
const EVENT_KEYS = {
  'case.created': 'caseCreated',
  'case.triaged': 'caseTriaged',
  'case.triage_override': 'caseTriageOverride',
  'case.need_info': 'caseNeedInfo',
  'case.info_answered': 'caseInfoAnswered',
  'case.verdict': 'caseVerdict',
  'case.notice_sent': 'caseNoticeSent',
  'case.removed': 'caseRemoved',
  'case.merged': 'caseMerged',
  'case.split': 'caseSplit',
  'evidence.captured': 'evidenceCaptured',
  'evidence.rechecked': 'evidenceRechecked',
  'decision_link.used': 'decisionLinkUsed',
  'takedown_notice.sent': 'noticeSent',
  'takedown_notice.acknowledged': 'noticeAcknowledged',
  'takedown_notice.overdue': 'noticeOverdue',
  'takedown_notice.escalated': 'noticeEscalated',
  'takedown_notice.resolved': 'noticeResolved',
  'takedown_notice.withdrawn': 'noticeWithdrawn',
  'sanction.recorded': 'sanctionRecorded',
  'delivery.given_up': 'deliveryGivenUp',
} as const;

function isKnownEvent(type: string): type is keyof typeof EVENT_KEYS {
  return Object.hasOwn(EVENT_KEYS, type);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * Every audit event of a case and its notices (analysts and admins): when, what, who, and the
 * recorded data (reason, before/after) as text. Values are rendered by React as text only.
 */
export function AuditTrail({ events }: { events: AuditEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) return <p>{t('audit.none')}</p>;
  return (
    <ol className="audit" data-testid="audit-trail">
      {events.map((event) => (
        <li key={event.seq} data-event-type={event.type}>
          <p className="audit__head">
            <strong>
              {isKnownEvent(event.type) ? t(`auditType.${EVENT_KEYS[event.type]}`) : event.type}
            </strong>{' '}
            <TaipeiTime iso={event.at} />
          </p>
          <dl className="audit__data">
            <Fact term={t('audit.actor')}>
              <code className="break">{event.actor}</code>
            </Fact>
            {event.subjectType !== 'case' && (
              <Fact term={t('audit.subject')}>
                <code>{event.subjectId}</code>
              </Fact>
            )}
            {Object.entries(event.data).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd className="break">{show(value)}</dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ol>
  );
}
