import type { Command } from 'commander';
import { withDeps } from './run.js';

/** `scamnet db migrate`: apply pending migrations to the store DATABASE_URL names. */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations (the server also does this on start)')
    .action(async () => {
      await withDeps(async (deps) => {
        process.stdout.write(`store ${deps.dialect}: migrations are current\n`);
      });
    });
}
