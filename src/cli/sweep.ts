import type { Command } from 'commander';
import { deliverCaseUpdates } from '../followers/index.js';
import { followerSendersOf } from '../line/index.js';
import { runSweep } from '../takedown/index.js';
import { printWithDeps } from './run.js';

/**
 * `scamnet sweep`: one sweep now (overdue notices, sanction entries, escalations, deliveries,
 * followers' messages),
 * printing what it did as JSON. For deployments that run it from cron instead of the server's
 * timer (SWEEP_INTERVAL_SECONDS=0).
 */
export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description(
      "mark overdue takedown notices, record sanctions, deliver queued notices, e-mails and followers' messages",
    )
    .action(() =>
      printWithDeps(async (deps) => {
        const sweep = await runSweep(deps);
        // Followers' messages (issue 15): Web Push and LINE, each when configured.
        const followers = await deliverCaseUpdates(deps, followerSendersOf(deps.config));
        return { ...sweep, followers };
      }),
    );
}
