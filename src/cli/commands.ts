import { Help, type Command } from 'commander';

/** A top-level command as `scamnet --help` lists it before its module is loaded. */
interface CommandSummary {
  name: string;
  alias?: string;
  /** The command's `.description(…)` in its module (src/cli/commands.test.ts holds them equal). */
  summary: string;
  /**
   * How `scamnet --help` lists the command when that is more than its name and alias: with
   * `[options]` and its arguments, as commander writes them for the loaded command.
   */
  term?: string;
}

/** One file of src/cli/: the top-level commands it registers and how to load it. */
interface CommandModule {
  commands: readonly CommandSummary[];
  load: () => Promise<(program: Command) => void>;
}

/**
 * Every command module, in the order `scamnet --help` lists them. A module is imported only when
 * its command runs: the capabilities behind all of them (store, Fastify, ECharts, jieba, the
 * classifier) are some 1,500 modules, which took Node about 1.5 s to load for `--help`.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [
  {
    commands: [
      {
        name: 'serve',
        summary: 'run the HTTP server (PORT, HOST, DATABASE_URL from the environment)',
      },
    ],
    load: async () => (await import('./serve.js')).registerServeCommand,
  },
  {
    commands: [{ name: 'db', summary: 'database maintenance' }],
    load: async () => (await import('./db.js')).registerDbCommand,
  },
  {
    commands: [
      { name: 'entities', summary: 'the registry of public figures, companies and agencies' },
    ],
    load: async () => (await import('./entities.js')).registerEntitiesCommand,
  },
  {
    commands: [
      {
        name: 'sweep',
        summary:
          "mark overdue takedown notices, record sanctions, deliver queued notices, e-mails and followers' messages",
      },
    ],
    load: async () => (await import('./sweep.js')).registerSweepCommand,
  },
  {
    commands: [
      {
        name: 'import',
        summary: 'import reports from a file (JSON Lines, Cofacts CSV, 165 CSVs, domain list)',
        term: 'import [options] <file>',
      },
    ],
    load: async () => (await import('./import.js')).registerImportCommand,
  },
  {
    commands: [
      {
        name: 'lookup',
        summary: 'check whether a URL (or, with --text, a message) is a known scam',
        term: 'lookup [options] [url]',
      },
    ],
    load: async () => (await import('./lookup.js')).registerLookupCommand,
  },
  {
    commands: [
      {
        name: 'check',
        summary:
          'check a URL, phone number, LINE ID or message with a scamnet server (--private: send only hash prefixes)',
        term: 'check [options] <query>',
      },
    ],
    load: async () => (await import('./check.js')).registerCheckCommand,
  },
  {
    commands: [
      { name: 'blocklist', summary: 'blocklist entries, the DNS RPZ zone and its DNS server' },
    ],
    load: async () => (await import('./blocklist.js')).registerBlocklistCommand,
  },
  {
    commands: [{ name: 'evidence', summary: 'capture reported content as evidence' }],
    load: async () => (await import('./evidence.js')).registerEvidenceCommand,
  },
  {
    commands: [{ name: 'log', summary: 'the tamper-evident Merkle log (RFC 9162)' }],
    load: async () => (await import('./log.js')).registerLogCommand,
  },
  {
    commands: [
      {
        name: 'url',
        summary: 'URL canonicalisation (JSON Lines on stdin → JSON Lines on stdout)',
      },
    ],
    load: async () => (await import('./url.js')).registerUrlCommand,
  },
  {
    commands: [
      {
        name: 'indicators',
        summary: 'indicator extraction (JSON Lines on stdin → JSON Lines on stdout)',
      },
    ],
    load: async () => (await import('./indicators.js')).registerIndicatorsCommand,
  },
  {
    commands: [{ name: 'user', summary: 'manage accounts (admin)' }],
    load: async () => (await import('./user.js')).registerUserCommand,
  },
  {
    commands: [{ name: 'apikey', summary: 'manage API keys (admin)' }],
    load: async () => (await import('./apikey.js')).registerApiKeyCommand,
  },
  {
    commands: [
      {
        name: 'bulletin',
        summary: 'print the weekly bulletin (週快訊) of a week',
        term: 'bulletin [options]',
      },
      {
        name: 'stats',
        summary: 'print the statistics of a period of local days as JSON',
        term: 'stats [options]',
      },
      {
        name: 'transparency',
        summary: 'print the transparency report of a year or a period',
        term: 'transparency [options]',
      },
    ],
    load: async () => (await import('./bulletin.js')).registerBulletinCommand,
  },
  {
    commands: [
      {
        name: 'cluster',
        summary: 'group messages into cases: JSON Lines {id, text} on stdin → {id, cluster}',
      },
    ],
    load: async () => (await import('./cluster.js')).registerClusterCommand,
  },
  {
    commands: [
      {
        name: 'classifier',
        alias: 'model',
        summary: 'the trained scam classifier (naive Bayes over character bigrams)',
      },
      {
        name: 'classify',
        summary:
          'JSON Lines {id, text} on stdin → {id, scam, scamType, confidence, scamTypeSource}',
      },
    ],
    load: async () => (await import('./classifier.js')).registerClassifierCommand,
  },
  {
    commands: [
      {
        name: 'reindex',
        summary: 'rebuild the near-duplicate and search indexes from the stored reports',
        term: 'reindex [options]',
      },
    ],
    load: async () => (await import('./reindex.js')).registerReindexCommand,
  },
  {
    commands: [{ name: 'webpush', summary: 'Web Push to followers of a case: VAPID keys' }],
    load: async () => (await import('./webpush.js')).registerWebPushCommand,
  },
];

/**
 * The top-level command `args` (the command line after `node scamnet`) names: its first word
 * that is not an option, or the word after `help`. Undefined for `scamnet`, `scamnet --help`.
 */
function commandNameOf(args: readonly string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * Registers the CLI's commands on `program`. One file per command in src/cli/; each exports a
 * `register…Command(program)` function. Only the module of the command that `args` (the
 * arguments after the script, `process.argv.slice(2)`) names is imported and registered; every
 * other command is registered as a stub with its name and summary, for `scamnet --help` and
 * commander's unknown-command suggestions.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const name = commandNameOf(args);
  const stubTerms = new Map<Command, string>();
  const help = new Help();
  program.configureHelp({
    subcommandTerm: (cmd) => stubTerms.get(cmd) ?? help.subcommandTerm(cmd),
  });
  for (const module of COMMAND_MODULES) {
    if (name !== undefined && module.commands.some((c) => c.name === name || c.alias === name)) {
      (await module.load())(program);
      continue;
    }
    for (const command of module.commands) {
      const stub = program.command(command.name).description(command.summary);
      if (command.alias !== undefined) stub.alias(command.alias);
      if (command.term !== undefined) stubTerms.set(stub, command.term);
    }
  }
}
