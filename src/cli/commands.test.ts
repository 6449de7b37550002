import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, registerCommands } from './commands.js';

/** Name, alias, description and help term of each top-level command of `program`, in order. */
function listing(
  program: Command,
): { name: string; alias?: string; summary: string; term?: string }[] {
  const help = program.createHelp();
  return program.commands.map((c) => {
    const term = help.subcommandTerm(c);
    const plain = c.alias() === undefined ? c.name() : `${c.name()}|${c.alias()}`;
    return {
      name: c.name(),
      ...(c.alias() === undefined ? {} : { alias: c.alias() }),
      summary: c.description(),
      ...(term === plain ? {} : { term }),
    };
  });
}

describe('registerCommands', () => {
  it.each(COMMAND_MODULES.map((module) => [module.commands[0]?.name, module] as const))(
    'the summaries of %s are what its module registers',
    async (_name, module) => {
      const program = new Command();
      (await module.load())(program);
      expect(listing(program)).toEqual(module.commands);
    },
  );

  it('registers only stubs for --help, and the same listing as the loaded modules', async () => {
    const stubs = new Command();
    await registerCommands(stubs, ['--help']);
    expect(stubs.commands.every((c) => c.commands.length === 0 && c.options.length === 0)).toBe(
      true,
    );
    const loaded = new Command();
    for (const module of COMMAND_MODULES) (await module.load())(loaded);
    expect(listing(stubs)).toEqual(listing(loaded));
  });

  it('loads the module of the command named, also through an alias or `help`', async () => {
    for (const [args, name, option] of [
      [['import', 'x.jsonl'], 'import', '--format'],
      [['help', 'import'], 'import', '--format'],
      [['--help', 'stats'], 'stats', '--from'],
    ] as const) {
      const program = new Command();
      await registerCommands(program, args);
      const command = program.commands.find((c) => c.name() === name);
      expect(command?.options.map((o) => o.long)).toContain(option);
    }
    const program = new Command();
    await registerCommands(program, ['model', 'eval']);
    const classifier = program.commands.find((c) => c.name() === 'classifier');
    expect(classifier?.commands.map((c) => c.name())).toEqual(['train', 'eval']);
  });
});
