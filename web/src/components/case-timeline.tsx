import { useTranslation } from 'react-i18next';
import { PLATFORMS, VERDICTS, type TimelineStep } from '../api';
import { SCAM_TYPES } from '../api-workflow';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';

const PUBLIC_STAGES = [
  'reported',
  'triaged',
  'sent',
  'decided',
  'platform_notified',
  'removed',
] as const;
type PublicStage = (typeof PUBLIC_STAGES)[number];

function stageOf(step: TimelineStep): PublicStage {
  return step.step === 'sent_to_party' || step.step === 'sent_to_agency' ? 'sent' : step.step;
}

/**
 * The public progress of a case as the six steps of the reference site (reported → triaged →
 * sent to the impersonated party or agency → confirmed → platform notified → removed), each with
 * its date in Taipei time or "not yet". Done and pending are told by words and a mark, not by
 * colour alone. Steps that happened more than once (a changed verdict) show the latest.
 */
export function CaseTimeline({ steps }: { steps: TimelineStep[] }) {
  const { t, i18n } = useTranslation();
  const latest = new Map<PublicStage, TimelineStep>();
  for (const step of steps) latest.set(stageOf(step), step);

  function title(stage: PublicStage, step: TimelineStep | undefined): string {
    if (stage === 'sent') {
      if (step?.step === 'sent_to_party') return t('timeline.sent_to_party');
      if (step?.step === 'sent_to_agency') return t('timeline.sent_to_agency');
      return t('timeline.sent');
    }
    return t(`timeline.${stage}`);
  }

  function detail(step: TimelineStep): string | null {
    const { scamType, platform, verdict } = step.detail;
    const platformName = isOneOf(PLATFORMS, platform) ? t(`platform.${platform}`) : null;
    if (step.step === 'triaged' && isOneOf(SCAM_TYPES, scamType)) {
      return t('timeline.triagedDetail', {
        scamType: t(`scamType.${scamType}`),
        platform: platformName ?? t('platform.other'),
      });
    }
    if (step.step === 'decided' && isOneOf(VERDICTS, verdict)) return t(`verdict.${verdict}`);
    if (step.step === 'platform_notified') return platformName;
    return null;
  }

  return (
    <ol className="timeline" data-testid="timeline">
      {PUBLIC_STAGES.map((stage) => {
        const step = latest.get(stage);
        const text = step === undefined ? null : detail(step);
        return (
          <li
            key={stage}
            className={
              step === undefined ? 'timeline__step' : 'timeline__step timeline__step--done'
            }
            data-step={stage}
            data-done={step !== undefined}
          >
            <span className="timeline__mark" aria-hidden="true">
              {step === undefined ? '\u25CB' : '\u2714'}
            </span>
            <span className="timeline__body">
              <strong>{title(stage, step)}</strong>
              {step === undefined ? (
                <span className="timeline__when">{t('timeline.notYet')}</span>
              ) : (
                <>
                  <span className="visually-hidden">{t('timeline.done')}</span>
                  <time className="timeline__when" dateTime={step.at}>
                    {formatTaipeiTime(step.at, i18n.language)}
                  </time>
                  {text !== null && <span className="timeline__detail">{text}</span>}
                </>
              )}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
