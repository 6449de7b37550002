import type { Command } from 'commander';
import { KEY_SOURCE_KINDS, createApiKey, listApiKeys, revokeApiKey } from '../identity/index.js';
import { printJson, printLinesWithDeps, printWithDeps, withDeps } from './run.js';
import { CLI_ADMIN } from './user.js';

interface CreateOptions {
  name: string;
  role: string;
  entity?: string[];
  platform?: string;
  sourceKind?: string;
  sourceName?: string;
}

/**
 * `scamnet apikey create|list|revoke`: API keys for machine clients, recorded as `admin:cli`.
 * A reporter key may be issued for a source (`--source-kind`, `--source-name`): every report it
 * sends is stored as that source's, whatever the body says.
 * `create` prints `{ apiKey, key }` as JSON: the key (`snk_<id>_<secret>`) is shown only this
 * once and stored hashed. `list` prints one key per line (JSON Lines, never the key).
 * Exit 65 for bad input, including an unknown key ID.
 */
export function registerApiKeyCommand(program: Command): void {
  const apikey = program.command('apikey').description('manage API keys (admin)');
  apikey
    .command('create')
    .description('create an API key scoped to a role (and entities or a platform)')
    .requiredOption('--name <name>', 'what the key is for, e.g. "LINE bot"')
    .requiredOption('--role <role>', 'reporter | verifier | analyst | platform_liaison | admin')
    .option('--entity <id...>', 'entity ID a verifier key acts for (repeatable)')
    .option('--platform <platform>', 'the platform a platform_liaison key acts for')
    .option(
      '--source-kind <kind>',
      `the source a reporter key's reports come from: ${KEY_SOURCE_KINDS.join(' | ')}`,
    )
    .option(
      '--source-name <name>',
      'the source\'s name (a-z 0-9 _ . -), required with --source-kind, e.g. "whoscall"',
    )
    .action(async (options: CreateOptions) => {
      await withDeps(async (deps) => {
        const result = await createApiKey(deps, CLI_ADMIN, {
          name: options.name,
          role: options.role,
          entityIds: options.entity,
          platform: options.platform,
          sourceKind: options.sourceKind,
          sourceName: options.sourceName,
        });
        printJson(result, { pretty: true });
        process.stderr.write('scamnet: the key is shown only this once\n');
      });
    });
  apikey
    .command('list')
    .description('list API keys, one JSON object per line (never the keys)')
    .action(() => printLinesWithDeps((deps) => listApiKeys(deps, CLI_ADMIN)));
  apikey
    .command('revoke')
    .description('revoke an API key: every later request with it is refused')
    .argument('<id>', 'the key ID (the part after snk_)')
    .action((id: string) => printWithDeps((deps) => revokeApiKey(deps, CLI_ADMIN, id)));
}
