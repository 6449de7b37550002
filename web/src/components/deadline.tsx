import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeState } from '../api-workflow';
import { TaipeiTime } from './taipei-time';

/** The current time in ms, updated every `intervalMs` (for live countdowns). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Splits a duration into whole hours and minutes (rounded down). */
export function hoursAndMinutes(ms: number): { hours: number; minutes: number } {
  const totalMinutes = Math.floor(Math.abs(ms) / 60_000);
  return { hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60 };
}

/** hoursAndMinutes with the minutes as two digits, for the countdown texts. */
function hoursAndMinutesPadded(ms: number): { hours: number; minutes: string } {
  const { hours, minutes } = hoursAndMinutes(ms);
  return { hours, minutes: String(minutes).padStart(2, '0') };
}

/**
 * A notice's deadline with a live countdown ("18 h 04 min left"). Once the first deadline has
 * passed (or the server marked the notice overdue) it reads "overdue by …" counted from the first
 * deadline, in red with a warning sign and the word itself, so the state is never told by colour
 * alone; each missed deadline starts another one, counted down beside it. A notice not yet
 * delivered has no deadline: it says so, with how long it has been waiting since `createdAt`.
 * Final notices show only the date.
 */
export function Deadline({
  notice,
  now,
}: {
  notice: {
    deadlineAt: string | null;
    firstDeadlineAt?: string | null;
    createdAt?: string;
    state: NoticeState;
  };
  now: number;
}) {
  const { t } = useTranslation();
  const { deadlineAt, firstDeadlineAt, createdAt, state } = notice;
  if (deadlineAt === null) {
    const waiting = createdAt === undefined ? null : now - new Date(createdAt).getTime();
    return (
      <span className="deadline deadline--pending" data-testid="deadline" data-pending="true">
        {t('deadline.notDelivered')}
        {waiting !== null && !Number.isNaN(waiting) && waiting >= 0 && (
          <> · {t('deadline.waiting', hoursAndMinutesPadded(waiting))}</>
        )}
      </span>
    );
  }
  const deadline = new Date(deadlineAt).getTime();
  const first = new Date(firstDeadlineAt ?? deadlineAt).getTime();
  const open = state === 'sent' || state === 'acknowledged' || state === 'overdue';
  const time = <TaipeiTime iso={deadlineAt} />;
  if (!open || Number.isNaN(deadline)) return <span className="deadline">{time}</span>;
  const overdue = state === 'overdue' || Math.min(first, deadline) <= now;
  const duration = hoursAndMinutesPadded;
  let text: string;
  if (!overdue) {
    text = t('deadline.left', duration(deadline - now));
  } else {
    const since = Math.min(first, deadline);
    text = since <= now ? t('deadline.overdueBy', duration(now - since)) : t('deadline.overdue');
    if (deadline > now) text += ` · ${t('deadline.nextIn', duration(deadline - now))}`;
  }
  return (
    <span
      className={overdue ? 'deadline deadline--overdue' : 'deadline'}
      data-testid="deadline"
      data-overdue={overdue}
    >
      <span className="deadline__count">
        {overdue && (
          <span className="deadline__icon" aria-hidden="true">
            {'\u26A0\uFE0E'}
          </span>
        )}
        {text}
      </span>{' '}
      <span className="deadline__at">({time})</span>
    </span>
  );
}
