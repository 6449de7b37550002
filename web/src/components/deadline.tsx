import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeState } from '../api-workflow';
import { formatTaipeiTime } from '../query';

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

/**
 * A notice's deadline with a live countdown ("18 h 04 m left") or, once passed or marked overdue
 * by the server, "overdue by …" in red with a warning sign and the word itself, so the state is
 * never told by colour alone. Final notices show no countdown.
 */
export function Deadline({
  deadlineAt,
  state,
  now,
}: {
  deadlineAt: string;
  state: NoticeState;
  now: number;
}) {
  const { t, i18n } = useTranslation();
  const deadline = new Date(deadlineAt).getTime();
  const open = state === 'sent' || state === 'acknowledged' || state === 'overdue';
  const time = <time dateTime={deadlineAt}>{formatTaipeiTime(deadlineAt, i18n.language)}</time>;
  if (!open || Number.isNaN(deadline)) return <span className="deadline">{time}</span>;
  const left = deadline - now;
  const overdue = state === 'overdue' || left <= 0;
  const { hours, minutes } = hoursAndMinutes(left);
  const minutesText = String(minutes).padStart(2, '0');
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
        {overdue
          ? left <= 0
            ? t('deadline.overdueBy', { hours, minutes: minutesText })
            : t('deadline.overdue')
          : t('deadline.left', { hours, minutes: minutesText })}
      </span>{' '}
      <span className="deadline__at">({time})</span>
    </span>
  );
}
