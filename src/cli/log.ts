import { readFileSync } from 'node:fs';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Command } from 'commander';

import {
  ConsistencyProofSchema,
  InclusionProofSchema,
  LogEntrySchema,
  LogKeySchema,
  SignedTreeHeadSchema,
} from '../log/index.js';
import { badRequest } from '../shared/errors.js';
import { EXIT, printWithDeps, withDeps } from './run.js';

import {
  auditLog,
  fromHex,
  getLogIntegration,
  getTreeHeadStatus,
  integrateLog,
  parsePublicKey,
  verifyOffline,
} from '../log/index.js';
import type { VerificationCheck } from '../log/index.js';
// TypeBox checks only formats it has been given; the API schemas use `date-time`.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (value) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
  );
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badRequest(
      'unreadable_file',
      `${file}: ${error instanceof Error ? error.message : 'unreadable'}`,
    );
  }
}

function readAs<T>(file: string, check: (value: unknown) => value is T, what: string): T {
  const value = readJson(file);
  if (!check(value)) throw badRequest('invalid_file', `${file} is not ${what}`);
  return value;
}

/** readAs of an optional file: undefined when `file` is (the option was not given). */
function readIfGiven<T>(
  file: string | undefined,
  check: (value: unknown) => value is T,
  what: string,
): T | undefined {
  return file === undefined ? undefined : readAs(file, check, what);
}

function printChecks(checks: readonly VerificationCheck[]): boolean {
  for (const check of checks) {
    process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}\n`);
  }
  return checks.length > 0 && checks.every((c) => c.ok);
}

/**
 * `scamnet log sth | verify | audit`:
 * - `sth` integrates committed events, signs (if the log grew) and prints the latest signed tree
 *   head as JSON, with the events still waiting (GET /api/v1/log/sth);
 * - `integrate` appends every committed event not yet in the log and prints
 *   `{ integrated, treeSize, pendingBefore }`;
 * - `verify --key K [--sth F]… [--inclusion F] [--entry F] [--consistency F]` verifies saved API
 *   responses offline, with no store and no network (RFC 9162 §2.1.3.2/§2.1.4.2, Ed25519);
 * - `audit` recomputes the whole log from the events and checks every signed tree head.
 * Exit status 0 when everything verifies, 1 when something does not, 65 for unreadable input.
 */
export function registerLogCommand(program: Command): void {
  const log = program.command('log').description('the tamper-evident Merkle log (RFC 9162)');

  log
    .command('sth')
    .description(
      'integrate committed events, then print the latest signed tree head (signing one if the log has grown)',
    )
    .action(() =>
      printWithDeps(
        async (deps) => {
          await integrateLog(deps);
          return getTreeHeadStatus(deps);
        },
        { pretty: true },
      ),
    );

  log
    .command('integrate')
    .description(
      'append every committed event not yet in the log (what a stopped or crashed process left) and print how many',
    )
    .action(() =>
      printWithDeps(async (deps) => {
        const before = await getLogIntegration(deps);
        const done = await integrateLog(deps, { sign: false });
        return { ...done, pendingBefore: before.pendingEvents };
      }),
    );

  log
    .command('verify')
    .description('verify signed tree heads and proofs saved from the API, offline')
    .requiredOption('--key <file>', 'the log key: GET /api/v1/log/key JSON, or its public key PEM')
    .option('--sth <file>', 'a signed tree head (GET /api/v1/log/sth); repeatable', collect, [])
    .option('--inclusion <file>', 'an inclusion proof (GET /api/v1/log/proof/inclusion)')
    .option('--entry <file>', 'the log entry the inclusion proof is about (one of /log/entries)')
    .option('--consistency <file>', 'a consistency proof (GET /api/v1/log/proof/consistency)')
    .action(
      (options: {
        key: string;
        sth: string[];
        inclusion?: string;
        entry?: string;
        consistency?: string;
      }) => {
        try {
          const keyText = readFileSync(options.key, 'utf8');
          const keyJson: unknown = keyText.trim().startsWith('{') ? JSON.parse(keyText) : undefined;
          const pem = Value.Check(LogKeySchema, keyJson) ? keyJson.publicKeyPem : keyText;
          const checks = verifyOffline({
            publicKey: parsePublicKey(pem),
            treeHeads: options.sth.map((f) =>
              readAs(f, (v) => Value.Check(SignedTreeHeadSchema, v), 'a signed tree head'),
            ),
            inclusion: readIfGiven(
              options.inclusion,
              (v) => Value.Check(InclusionProofSchema, v),
              'an inclusion proof',
            ),
            entry: readIfGiven(options.entry, (v) => Value.Check(LogEntrySchema, v), 'a log entry'),
            consistency: readIfGiven(
              options.consistency,
              (v) => Value.Check(ConsistencyProofSchema, v),
              'a consistency proof',
            ),
          });
          if (checks.length === 0)
            throw badRequest('nothing_to_verify', 'give --sth, --inclusion or --consistency');
          process.exitCode = printChecks(checks) ? EXIT.ok : EXIT.failure;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          process.stderr.write(`scamnet: ${message}\n`);
          process.exitCode = EXIT.dataError;
        }
      },
    );

  log
    .command('audit')
    .description(
      'recompute the log from the events up to a fixed tree head (default: the head at start) ' +
        'and check every signed tree head up to it',
    )
    .option('--size <n>', 'audit the tree of the first n leaves (e.g. a signed tree head kept)')
    .option('--root <hex>', 'the root the tree of --size leaves must have (needs --size)')
    .action(async (options: { size?: string; root?: string }) => {
      await withDeps(async (deps) => {
        const treeSize = options.size === undefined ? undefined : Number(options.size);
        if (treeSize !== undefined && !Number.isSafeInteger(treeSize)) {
          throw badRequest(
            'invalid_size',
            `--size must be a number of leaves (got ${options.size})`,
          );
        }
        const rootHash = options.root === undefined ? undefined : fromHex(options.root);
        if (rootHash?.length !== 32 && options.root !== undefined) {
          throw badRequest('invalid_root', '--root must be a SHA-256 hash in hex (64 digits)');
        }
        const report = await auditLog(deps, {
          ...(treeSize === undefined ? {} : { treeSize }),
          ...(rootHash === undefined ? {} : { rootHash }),
          onProgress: (done, total) => {
            if (process.stderr.isTTY) process.stderr.write(`\raudited ${done}/${total} leaves`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        process.stdout.write(
          `tree head audited: size ${report.treeSize}, root ${report.rootHash}` +
            ` (the log held ${report.logSize} leaves when the audit started)\n`,
        );
        if (report.pendingEvents > 0) {
          process.stdout.write(
            `${report.pendingEvents} committed events were not yet integrated (the sequencer ` +
              'appends them within LOG_SEQUENCE_MS while a server runs): not audited\n',
          );
        }
        for (const problem of report.problems) process.stdout.write(`FAIL  ${problem}\n`);
        if (report.leavesOutsideAllowList > 0) {
          for (const warning of report.warnings) process.stdout.write(`WARN  ${warning}\n`);
          process.stdout.write(
            `WARN  ${report.leavesOutsideAllowList} leaves carry data fields their event type ` +
              'no longer allows (possibly personal data written before the allow-list); a leaf ' +
              'can be neither changed nor removed: see README, "Evidence and the log"\n',
          );
        }
        process.stdout.write(
          `${report.problems.length === 0 ? 'ok' : 'FAIL'}  ${report.leavesChecked} leaves, ` +
            `${report.nodesChecked} nodes, ${report.treeHeadsChecked} signed tree heads checked\n`,
        );
        if (report.problems.length > 0) process.exitCode = EXIT.failure;
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
