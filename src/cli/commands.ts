import type { Command } from 'commander';

/**
 * Registers every CLI command on `program`. One file per command in src/cli/; each exports a
 * `register…Command(program)` function that is called here.
 */
export function registerCommands(_program: Command): void {}
