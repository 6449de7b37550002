import type { Command } from 'commander';
import { rebuildIndexes } from '../commands/index.js';
import { badRequest } from '../shared/errors.js';
import { printJson, withDeps } from './run.js';

/**
 * `scamnet reindex [--only-missing] [--batch N]`: rebuilds the near-duplicate and search indexes
 * of every case from its stored reports (`rebuildIndexes`), for databases created before those
 * indexes existed. Prints `{ cases, skipped, reports, unreadable }` as JSON; progress goes to
 * stderr. Exit status 65 for a bad `--batch`.
 */
export function registerReindexCommand(program: Command): void {
  program
    .command('reindex')
    .description('rebuild the near-duplicate and search indexes from the stored reports')
    .option(
      '--only-missing',
      'only cases not yet indexed as now: no search terms, or older near-duplicate band keys',
    )
    .option('--batch <n>', 'cases per transaction', '200')
    .action(async (options: { onlyMissing?: boolean; batch: string }) => {
      await withDeps(async (deps) => {
        const batch = Number(options.batch);
        if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
          throw badRequest('usage', '--batch must be an integer from 1 to 10000.');
        }
        const summary = await rebuildIndexes(deps, {
          onlyMissing: options.onlyMissing === true,
          batch,
          onProgress: (seen) => {
            if (process.stderr.isTTY) process.stderr.write(`\rcases seen: ${seen}`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        printJson(summary);
      });
    });
}
