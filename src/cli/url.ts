import type { Command } from 'commander';
import { canonicalUrl, lookupExpressions, registrableDomain } from '../indicators/index.js';
import { mapJsonLines } from './indicators.js';

/**
 * `scamnet url canonicalize | domain | expressions`: JSON Lines on stdin, one JSON string per
 * line, → one JSON value per line on stdout in the same order: the Safe Browsing canonical URL
 * (or `null`), the registrable domain (or `null`), the array of Safe Browsing lookup expressions.
 * A malformed line gives `null` and a message on stderr (see mapJsonLines).
 */
export function registerUrlCommand(program: Command): void {
  const url = program
    .command('url')
    .description('URL canonicalisation (JSON Lines on stdin → JSON Lines on stdout)');
  url
    .command('canonicalize')
    .description('each line a JSON string → its Safe Browsing v4 canonical URL, or null')
    .action(async () => {
      await mapJsonLines((input) => canonicalUrl(input));
    });
  url
    .command('domain')
    .description('each line a JSON string (URL or host) → its registrable domain, or null')
    .action(async () => {
      await mapJsonLines((input) => registrableDomain(input));
    });
  url
    .command('expressions')
    .description('each line a JSON string → JSON array of Safe Browsing lookup expressions')
    .action(async () => {
      await mapJsonLines((input) => lookupExpressions(input));
    });
}
