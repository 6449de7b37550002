import type { Command } from 'commander';
import { runServer } from '../server.js';

/** `scamnet serve`: run the HTTP server (the same as `npm start` without the build). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server (PORT, HOST, DATABASE_URL from the environment)')
    .action(async () => {
      await runServer();
    });
}
