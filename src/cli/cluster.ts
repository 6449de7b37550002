import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadCliConfig } from '../config/index.js';
import { prepareReport } from '../intake/index.js';
import { isAppError } from '../shared/errors.js';
import { MemoryClusterer } from '../triage/index.js';
import { EXIT } from './run.js';

const FLUSH_BYTES = 64 * 1024;

type RowId = string | number;

function isRowId(value: unknown): value is RowId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Reads one `{ "id", "text", "url"? }` line; a string says what is wrong with it. */
function parseRow(line: string): { id: RowId; text?: string; url?: string } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'expected a JSON object { "id", "text" }';
  }
  const id: unknown = Reflect.get(parsed, 'id');
  const text: unknown = Reflect.get(parsed, 'text');
  const url: unknown = Reflect.get(parsed, 'url');
  if (!isRowId(id)) return '"id" must be a string or a number';
  if (text !== undefined && typeof text !== 'string') return '"text" must be a string';
  if (url !== undefined && typeof url !== 'string') return '"url" must be a string';
  return {
    id,
    ...(text === undefined ? {} : { text }),
    ...(url === undefined ? {} : { url }),
  };
}

/**
 * `scamnet cluster`: JSON Lines `{ "id", "text", "url"? }` on stdin → `{ "id", "cluster" }` per
 * line on stdout, in input order. Equal `cluster` values mean one case: the same merge rule as
 * intake (exact merge keys, then verified near-duplicates; MemoryClusterer), in input order;
 * `cluster` is the `id` of the cluster's first message. No store is opened. A line that cannot
 * be read gives `{ "id": null, "error" }` and `scamnet: line N: …` on stderr, and the exit status
 * 65 at the end.
 */
export function registerClusterCommand(program: Command): void {
  program
    .command('cluster')
    .description('group messages into cases: JSON Lines {id, text} on stdin → {id, cluster}')
    .action(async () => {
      const config = loadCliConfig();
      const clusterer = new MemoryClusterer();
      const firstIdOf = new Map<string, RowId>();
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let buffer = '';
      let lineNumber = 0;
      let rejected = 0;
      const reject = (message: string, id: RowId | null): void => {
        rejected += 1;
        process.stderr.write(`scamnet: line ${lineNumber}: ${message}\n`);
        buffer += `${JSON.stringify({ id, error: message })}\n`;
      };
      for await (const line of lines) {
        lineNumber += 1;
        if (line.trim() === '') continue;
        const row = parseRow(line);
        if (typeof row === 'string') {
          reject(row, null);
        } else {
          try {
            const prepared = prepareReport(
              { text: row.text, url: row.url, channel: 'import', source: 'cluster' },
              config,
            );
            const clusterKey = `k${lineNumber}`;
            const placed = clusterer.assign(
              prepared.keys,
              config.nearDuplicateMerge ? prepared.nearDuplicate : null,
              clusterKey,
            );
            if (placed.newCluster) firstIdOf.set(placed.clusterId, row.id);
            buffer += `${JSON.stringify({ id: row.id, cluster: firstIdOf.get(placed.clusterId) ?? row.id })}\n`;
          } catch (error) {
            reject(isAppError(error) ? `${error.code}: ${error.message}` : String(error), row.id);
          }
        }
        if (buffer.length >= FLUSH_BYTES) {
          const chunk = buffer;
          buffer = '';
          if (!process.stdout.write(chunk)) {
            await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
          }
        }
      }
      if (buffer !== '') process.stdout.write(buffer);
      if (rejected > 0) process.exitCode = EXIT.dataError;
    });
}
