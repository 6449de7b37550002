import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import {
  IMPORT_FORMATS,
  detectImportFormat,
  importRows,
  readImportFile,
  type ImportFormat,
} from '../intake/index.js';
import { badRequest } from '../shared/errors.js';
import { reportRejectedRows, withDeps } from './run.js';

/**
 * `scamnet import FILE [--format F]`: loads reports from JSON Lines or the demo data's CSV and
 * list formats through normal intake. A progress bar on a terminal (stderr), each bad row as
 * `line N: why` on stderr, and one summary line on stdout; when stdout is not a terminal, first
 * `committed R rows through line L` after each batch's transaction commits (every row up to line
 * L is then stored, already imported, or rejected). Exit status 0 when every row was read,
 * 65 when some were rejected (good rows are kept either way).
 */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import reports from a file (JSON Lines, Cofacts CSV, 165 CSVs, domain list)')
    .argument('<file>', 'the file to import')
    .addOption(
      new Option('--format <format>', 'file format (default: detected)').choices([
        ...IMPORT_FORMATS,
      ]),
    )
    .option('--source <name>', 'source name recorded on each report')
    .addOption(
      new Option('--verdict <verdict>', 'for a domain list: the verdict it stands for').choices([
        'fraud',
        'high_risk',
        'not_fraud',
      ]),
    )
    .action(
      async (
        file: string,
        options: {
          format?: ImportFormat;
          source?: string;
          verdict?: 'fraud' | 'high_risk' | 'not_fraud';
        },
      ) => {
        await withDeps(async (deps) => {
          if (!existsSync(file)) throw badRequest('file_not_found', `No file ${file}.`);
          const format = options.format ?? (await detectImportFormat(file));
          const bar = process.stderr.isTTY
            ? new cliProgress.SingleBar(
                { format: 'importing {bar} {value} rows | {duration}s', stream: process.stderr },
                cliProgress.Presets.shades_classic,
              )
            : undefined;
          bar?.start(0, 0);
          let committed = 0;
          const summary = await importRows(
            deps,
            readImportFile(file, format, {
              ...(options.source === undefined ? {} : { source: options.source }),
              ...(options.verdict === undefined ? {} : { verdict: options.verdict }),
            }),
            (rows, throughLine) => {
              bar?.setTotal(rows);
              bar?.update(rows);
              // Piped or redirected: one line per committed batch, so whoever reads it knows
              // what a killed import kept.
              if (!process.stdout.isTTY && rows > committed) {
                process.stdout.write(`committed ${rows} rows through line ${throughLine}\n`);
              }
              committed = rows;
            },
          );
          bar?.stop();
          reportRejectedRows(summary.rejected, 'rejected');
          process.stdout.write(
            `${file} (${format}): ${summary.accepted} accepted, ${summary.newCases} new cases, ` +
              `${summary.duplicates} already imported, ${summary.rejected.length} rejected\n`,
          );
        });
      },
    );
}
