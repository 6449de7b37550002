import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createEntity, listEntities, updateEntity, type EntityInput } from '../entities/index.js';

import { isAppError } from '../shared/errors.js';
import { printLinesWithDeps, withDeps } from './run.js';

import { ENTITY_KINDS } from '../vocabulary/index.js';
const SYSTEM_ADMIN = { role: 'admin', id: 'cli:entities' } as const;

function parseEntity(line: string): EntityInput | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  const kind = ENTITY_KINDS.find((k) => k === v.kind);
  const strings = (x: unknown) =>
    Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : undefined;
  if (typeof v.id !== 'string') return 'id is missing';
  if (kind === undefined) return `kind must be one of ${ENTITY_KINDS.join(', ')}`;
  if (typeof v.nameZh !== 'string') return 'nameZh is missing';
  return {
    id: v.id,
    kind,
    nameZh: v.nameZh,
    nameEn: typeof v.nameEn === 'string' ? v.nameEn : undefined,
    aliases: strings(v.aliases),
    domains: strings(v.domains),
    contactEmail: typeof v.contactEmail === 'string' ? v.contactEmail : undefined,
  };
}

/**
 * `scamnet entities import FILE` (JSON Lines `{ id, kind, nameZh, nameEn?, aliases?, domains?,
 * contactEmail? }`; existing IDs are updated) and `scamnet entities list`.
 */
export function registerEntitiesCommand(program: Command): void {
  const entities = program
    .command('entities')
    .description('the registry of public figures, companies and agencies');
  entities
    .command('import')
    .argument('<file>', 'JSON Lines of entities')
    .description('add or update entities from JSON Lines')
    .action(async (file: string) => {
      await withDeps(async (deps) => {
        const lines = createInterface({
          input: createReadStream(file, 'utf8'),
          crlfDelay: Infinity,
        });
        let line = 0;
        let added = 0;
        let updated = 0;
        let rejected = 0;
        for await (const raw of lines) {
          line += 1;
          if (raw.trim() === '') continue;
          const input = parseEntity(raw);
          try {
            if (typeof input === 'string') throw new Error(input);
            try {
              await createEntity(deps, SYSTEM_ADMIN, input);
              added += 1;
            } catch (error) {
              if (!isAppError(error) || error.code !== 'entity_exists') throw error;
              const { id, ...patch } = input;
              await updateEntity(deps, SYSTEM_ADMIN, id, patch);
              updated += 1;
            }
          } catch (error) {
            rejected += 1;
            process.stderr.write(
              `line ${line}: ${error instanceof Error ? error.message : String(error)}\n`,
            );
          }
        }
        process.stdout.write(`${file}: ${added} added, ${updated} updated, ${rejected} rejected\n`);
        if (rejected > 0) process.exitCode = 65;
      });
    });
  entities
    .command('list')
    .description('print the registry as JSON Lines')
    .action(() => printLinesWithDeps((deps) => listEntities(deps, SYSTEM_ADMIN)));
}
