import type { Command } from 'commander';
import { registerApiKeyCommand } from './apikey.js';
import { registerBlocklistCommand } from './blocklist.js';
import { registerBulletinCommand } from './bulletin.js';
import { registerClassifierCommand } from './classifier.js';
import { registerClusterCommand } from './cluster.js';
import { registerDbCommand } from './db.js';
import { registerEntitiesCommand } from './entities.js';
import { registerSweepCommand } from './sweep.js';
import { registerEvidenceCommand } from './evidence.js';
import { registerImportCommand } from './import.js';
import { registerIndicatorsCommand } from './indicators.js';
import { registerLogCommand } from './log.js';
import { registerLookupCommand } from './lookup.js';
import { registerReindexCommand } from './reindex.js';
import { registerServeCommand } from './serve.js';
import { registerUrlCommand } from './url.js';
import { registerUserCommand } from './user.js';

/**
 * Registers every CLI command on `program`. One file per command in src/cli/; each exports a
 * `register…Command(program)` function that is called here.
 */
export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerDbCommand(program);
  registerEntitiesCommand(program);
  registerSweepCommand(program);
  registerImportCommand(program);
  registerLookupCommand(program);
  registerBlocklistCommand(program);
  registerEvidenceCommand(program);
  registerLogCommand(program);
  registerUrlCommand(program);
  registerIndicatorsCommand(program);
  registerUserCommand(program);
  registerApiKeyCommand(program);
  registerBulletinCommand(program);
  registerClusterCommand(program);
  registerClassifierCommand(program);
  registerReindexCommand(program);
}
