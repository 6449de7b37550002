import type { Command } from 'commander';

import {
  bulletinCsv,
  bulletinHtml,
  bulletinText,
  getBulletin,
  getStats,
  getTransparencyReport,
  localDateOf,
  publishBulletin,
  shiftWeek,
  transparencyCsv,
  transparencyHtml,
  weekOf,
} from '../statistics/index.js';
import { badRequest } from '../shared/errors.js';
import { printWithDeps, withDeps } from './run.js';

import type { Actor } from '../policy/index.js';
/** The CLI acts as the operator of the installation. */
const OPERATOR: Actor = { role: 'admin', id: 'admin:cli' };

const FORMATS = ['text', 'json', 'csv', 'html'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(value: string): Format {
  const format = FORMATS.find((f) => f === value);
  if (format === undefined) {
    throw badRequest(
      'validation_failed',
      `--format must be one of ${FORMATS.join(', ')}.`,
      'format',
    );
  }
  return format;
}

/**
 * `scamnet bulletin [--week 2025-W27] [--format text|json|csv|html] [--publish]`: prints the
 * weekly bulletin (週快訊) of a week (default: the last complete week by the clock, in
 * STATS_TIME_ZONE and BULLETIN_WEEK_START), with its draft reminders; `--publish` publishes it
 * first. `scamnet stats --from D --to D` prints the statistics of a period as JSON;
 * `scamnet transparency (--year Y | --from D --to D) [--format json|csv|html]` the transparency
 * report. Exit 65 for bad input (invalid week, week not over when publishing, …).
 */
export function registerBulletinCommand(program: Command): void {
  program
    .command('bulletin')
    .description('print the weekly bulletin (週快訊) of a week')
    .option('--week <week>', 'the week, YYYY-Www (default: the last complete week)')
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'text')
    .option('--publish', 'publish the bulletin (final) before printing it')
    .action(async (options: { week?: string; format: string; publish?: boolean }) => {
      await withDeps(async (deps) => {
        const format = formatOf(options.format);
        const { timeZone, weekStart } = deps.config.statistics;
        const week =
          options.week ??
          shiftWeek(weekOf(localDateOf(deps.clock.now(), timeZone), weekStart), weekStart, -1);
        const bulletin =
          options.publish === true
            ? await publishBulletin(deps, OPERATOR, week)
            : await getBulletin(deps, OPERATOR, week);
        const api = `/api/v1/bulletins/${bulletin.week}`;
        const output =
          format === 'json'
            ? `${JSON.stringify(bulletin, null, 2)}\n`
            : format === 'csv'
              ? bulletinCsv(bulletin)
              : format === 'html'
                ? bulletinHtml(bulletin, {
                    json: api,
                    csv: `${api}/csv`,
                    atom: '/api/v1/bulletins/feed.atom',
                  })
                : bulletinText(bulletin);
        process.stdout.write(output);
      });
    });

  program
    .command('stats')
    .description('print the statistics of a period of local days as JSON')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day (inclusive), YYYY-MM-DD')
    .option('--time-zone <zone>', 'IANA time zone (default STATS_TIME_ZONE)')
    .action(async (options: { from: string; to: string; timeZone?: string }) => {
      await printWithDeps((deps) => getStats(deps, options), { pretty: true });
    });

  program
    .command('transparency')
    .description('print the transparency report of a year or a period')
    .option('--year <year>', 'calendar year, e.g. 2025')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day (inclusive), YYYY-MM-DD')
    .option('--format <format>', 'output: json, csv, html', 'json')
    .action(async (options: { year?: string; from?: string; to?: string; format: string }) => {
      await withDeps(async (deps) => {
        const format = formatOf(options.format);
        const year = options.year === undefined ? undefined : Number(options.year);
        const report = await getTransparencyReport(deps, { ...options, year });
        const output =
          format === 'csv'
            ? transparencyCsv(report)
            : format === 'html'
              ? transparencyHtml(report, '/api/v1/transparency/csv')
              : `${JSON.stringify(report, null, 2)}\n`;
        process.stdout.write(output);
      });
    });
}
