import type { Command } from 'commander';
import {
  createUser,
  findUserIdByIdOrEmail,
  listUsers,
  setUserDisabled,
} from '../identity/index.js';
import { printJson, printLinesWithDeps, printWithDeps, withDeps } from './run.js';

import type { Actor } from '../policy/index.js';
/** The actor CLI account changes are recorded as: whoever can run the CLI on the store. */
export const CLI_ADMIN: Actor = Object.freeze({ role: 'admin', id: 'admin:cli' });

/** All of standard input as text, without one trailing newline. */
export async function readStdin(): Promise<string> {
  process.stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of process.stdin) {
    if (typeof chunk === 'string') text += chunk;
  }
  return text.replace(/\r?\n$/, '');
}

interface AddOptions {
  email: string;
  role: string;
  name?: string;
  entity?: string[];
  platform?: string;
  passwordStdin?: boolean;
}

/**
 * `scamnet user add|list|disable|enable`: manage accounts on the store DATABASE_URL names,
 * recorded as `admin:cli`. `add` prints `{ user, generatedPassword? }` as JSON (a generated
 * password is shown only this once); `list` prints one account per line (JSON Lines).
 * Exit 65 for bad input (invalid e-mail, weak password, inconsistent scope, e-mail taken).
 */
export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('manage accounts (admin)');
  user
    .command('add')
    .description('create an account; the password is read from stdin or generated')
    .requiredOption('--email <address>', 'e-mail address (the sign-in name)')
    .requiredOption('--role <role>', 'reporter | verifier | analyst | platform_liaison | admin')
    .option('--name <display name>', 'name shown to staff (default: the part before @)')
    .option('--entity <id...>', 'entity ID a verifier acts for (repeatable)')
    .option('--platform <platform>', 'the platform a platform_liaison acts for')
    .option('--password-stdin', 'read the password from standard input (at least 12 characters)')
    .action(async (options: AddOptions) => {
      await withDeps(async (deps) => {
        const password = options.passwordStdin === true ? await readStdin() : undefined;
        const result = await createUser(deps, CLI_ADMIN, {
          email: options.email,
          role: options.role,
          displayName: options.name,
          entityIds: options.entity,
          platform: options.platform,
          password,
        });
        printJson(result, { pretty: true });
        if (result.generatedPassword !== undefined) {
          process.stderr.write('scamnet: the generated password is shown only this once\n');
        }
      });
    });
  user
    .command('list')
    .description('list accounts, one JSON object per line')
    .action(() => printLinesWithDeps((deps) => listUsers(deps, CLI_ADMIN)));
  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(action)
      .description(
        disabled ? 'disable an account and end its sessions' : 're-enable a disabled account',
      )
      .argument('<user>', 'user ID or e-mail address')
      .action(async (idOrEmail: string) => {
        await printWithDeps(async (deps) =>
          setUserDisabled(deps, CLI_ADMIN, await findUserIdByIdOrEmail(deps, idOrEmail), disabled),
        );
      });
  }
}
