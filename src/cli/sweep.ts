import type { Command } from 'commander';
import { runSweep } from '../takedown/index.js';
import { withDeps } from './run.js';

/**
 * `scamnet sweep`: one sweep now (overdue notices, sanction entries, escalations, deliveries),
 * printing what it did as JSON. For deployments that run it from cron instead of the server's
 * timer (SWEEP_INTERVAL_SECONDS=0).
 */
export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description(
      'mark overdue takedown notices, record sanctions, deliver queued notices and e-mails',
    )
    .action(async () => {
      await withDeps(async (deps) => {
        process.stdout.write(`${JSON.stringify(await runSweep(deps))}\n`);
      });
    });
}
