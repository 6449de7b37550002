#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands.js';

const program = new Command();
program
  .name('scamnet')
  .description('scamnet: online fraud report & query network')
  .showHelpAfterError();
registerCommands(program);
await program.parseAsync(process.argv);
