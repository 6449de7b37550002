import type { Command } from 'commander';
import { lookupText, lookupUrl } from '../search/index.js';
import { badRequest } from '../shared/errors.js';
import { printJson, withDeps } from './run.js';

/**
 * `scamnet lookup URL` (or `--text MESSAGE`): prints the lookup result as JSON, the same body as
 * `GET /api/v1/lookup`. Exit status 0 whether or not it is known; 65 for an unreadable URL.
 */
export function registerLookupCommand(program: Command): void {
  program
    .command('lookup')
    .description('check whether a URL (or, with --text, a message) is a known scam')
    .argument('[url]', 'the URL to check')
    .option('--text <message>', 'check a message, phone number or LINE ID instead of a URL')
    .action(async (url: string | undefined, options: { text?: string }) => {
      await withDeps(async (deps) => {
        if (url === undefined && options.text === undefined) {
          throw badRequest('usage', 'Give a URL or --text MESSAGE.');
        }
        const result =
          url !== undefined
            ? await lookupUrl(deps, url)
            : await lookupText(deps, options.text ?? '');
        printJson(result, { pretty: true });
      });
    });
}
