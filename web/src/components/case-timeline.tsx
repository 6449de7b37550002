import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { KNOWN_SOURCES, PLATFORMS, VERDICTS, type CaseStatus, type TimelineStep } from '../api';
import { SCAM_TYPES } from '../api-workflow';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';

/** A step shown on the page: the server's steps, with routing to a party or agency as `sent`. */
type ShownStep = Exclude<TimelineStep['step'], 'sent_to_party' | 'sent_to_agency'> | 'sent';

function shownOf(step: TimelineStep): ShownStep {
  return step.step === 'sent_to_party' || step.step === 'sent_to_agency' ? 'sent' : step.step;
}

/**
 * What the process does next for a case in `status` (steps not yet taken, in order): a decision
 * for an open case; for confirmed platform content, telling the platform and its removal; for a
 * confirmed website, its block. Nothing for a case that needs no further step.
 */
function nextSteps(status: CaseStatus): ShownStep[] {
  switch (status) {
    case 'processing':
    case 'awaiting_party':
      return ['decided'];
    case 'fraud_confirmed':
      return ['platform_notified', 'removed'];
    case 'fraud_notified':
      return ['removed'];
    case 'site_confirmed':
    case 'block_proposed':
    case 'block_appealed':
      return ['blocked'];
    default:
      return [];
  }
}

/**
 * One step of the timeline (`shown`, its data-step): a mark (a tick when `done`, a ring while it
 * is to come, hidden from screen readers), its `title`, then `children` (when, or "not yet").
 */
function StepItem({
  shown,
  done,
  title,
  children,
}: {
  shown: ShownStep;
  done: boolean;
  title: string;
  children: ReactNode;
}) {
  return (
    <li
      className={done ? 'timeline__step timeline__step--done' : 'timeline__step'}
      data-step={shown}
      data-done={String(done)}
    >
      <span className="timeline__mark" aria-hidden="true">
        {done ? '\u2714' : '\u25CB'}
      </span>
      <span className="timeline__body">
        <strong>{title}</strong>
        {children}
      </span>
    </li>
  );
}

/**
 * The public progress of a case (the reference site's 處理進度): the steps that happened, in time
 * order, each with its date in Taipei time (a step from an imported data set names its source,
 * e.g. "165 hotline open data"), then the steps still to come for a case in `status`, marked
 * "not yet". Done and pending are told by words and a mark, not by colour alone. A step that
 * happened more than once (a changed verdict) shows its latest time, in that place.
 */
export function CaseTimeline({ steps, status }: { steps: TimelineStep[]; status: CaseStatus }) {
  const { t, i18n } = useTranslation();
  const latest = new Map<ShownStep, TimelineStep>();
  for (const step of steps) {
    latest.delete(shownOf(step));
    latest.set(shownOf(step), step);
  }
  const done = [...latest.entries()];
  const pending = nextSteps(status).filter((s) => !latest.has(s));

  function title(shown: ShownStep, step: TimelineStep | undefined): string {
    if (shown === 'sent') {
      if (step?.step === 'sent_to_party') return t('timeline.sent_to_party');
      if (step?.step === 'sent_to_agency') return t('timeline.sent_to_agency');
      return t('timeline.sent');
    }
    return t(`timeline.${shown}`);
  }

  function detail(step: TimelineStep): string | null {
    const { scamType, platform, verdict, source } = step.detail;
    const platformName = isOneOf(PLATFORMS, platform) ? t(`platform.${platform}`) : null;
    const parts: string[] = [];
    if (step.step === 'triaged' && isOneOf(SCAM_TYPES, scamType)) {
      parts.push(
        t('timeline.triagedDetail', {
          scamType: t(`scamType.${scamType}`),
          platform: platformName ?? t('platform.other'),
        }),
      );
    }
    if (step.step === 'decided' && isOneOf(VERDICTS, verdict)) parts.push(t(`verdict.${verdict}`));
    if (step.step === 'platform_notified' && platformName !== null) parts.push(platformName);
    if (source !== undefined) {
      const name = isOneOf(KNOWN_SOURCES, source) ? t(`source.${source}`) : source;
      parts.push(t('timeline.fromSource', { source: name }));
    }
    return parts.length === 0 ? null : parts.join(' · ');
  }

  return (
    <ol className="timeline" data-testid="timeline">
      {done.map(([shown, step]) => {
        const text = detail(step);
        return (
          <StepItem key={shown} shown={shown} done title={title(shown, step)}>
            <span className="visually-hidden">{t('timeline.done')}</span>
            <time className="timeline__when" dateTime={step.at}>
              {formatTaipeiTime(step.at, i18n.language)}
            </time>
            {text !== null && <span className="timeline__detail">{text}</span>}
          </StepItem>
        );
      })}
      {pending.map((shown) => (
        <StepItem key={shown} shown={shown} done={false} title={title(shown, undefined)}>
          <span className="timeline__when">{t('timeline.notYet')}</span>
        </StepItem>
      ))}
    </ol>
  );
}
