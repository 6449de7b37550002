#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands.js';

const program = new Command();
program
  .name('scamnet')
  .description('scamnet: online fraud report & query network')
  .showHelpAfterError();
await registerCommands(program, process.argv.slice(2));
await program.parseAsync(process.argv);
