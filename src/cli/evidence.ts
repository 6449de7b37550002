import type { Command } from 'commander';
import { captureCase, importFileBlobs, listCaseCaptures, recheckUrl } from '../evidence/index.js';

import { printWithDeps } from './run.js';

import type { Actor } from '../policy/index.js';
/** The CLI acts as the operator of the installation. */
const OPERATOR: Actor = { role: 'admin', id: 'admin:cli' };

/**
 * `scamnet evidence capture CASE_ID | list CASE_ID | recheck URL | import-blobs`: capture every
 * URL of a case now, list a case's captures, re-check one URL for takedown monitoring (prints the
 * observed state), or (PostgreSQL) copy the blobs of this node's EVIDENCE_DIR into the database. Output is JSON on stdout; the capture policy is the server's (CAPTURE_* variables).
 */
export function registerEvidenceCommand(program: Command): void {
  const evidence = program.command('evidence').description('capture reported content as evidence');

  evidence
    .command('capture')
    .description('capture every URL of a case (SSRF-checked, recorded in the log)')
    .argument('<caseId>', 'the public case ID')
    .option('--screenshot', 'also take a screenshot (overrides CAPTURE_SCREENSHOTS)')
    .action((caseId: string, options: { screenshot?: boolean }) =>
      printWithDeps(
        async (deps) => ({
          captures: await captureCase(deps, OPERATOR, caseId, {
            ...(options.screenshot === undefined ? {} : { screenshot: options.screenshot }),
          }),
        }),
        { pretty: true },
      ),
    );

  evidence
    .command('list')
    .description('list the captures of a case')
    .argument('<caseId>', 'the public case ID')
    .action((caseId: string) =>
      printWithDeps(
        async (deps) => ({ captures: await listCaseCaptures(deps, OPERATOR, caseId) }),
        {
          pretty: true,
        },
      ),
    );

  evidence
    .command('recheck')
    .description('re-check a URL: live, removed or unknown, with the evidence')
    .argument('<url>', 'the URL to re-check')
    .option('--case <caseId>', 'the case it belongs to')
    .action((url: string, options: { case?: string }) =>
      printWithDeps((deps) => recheckUrl(deps, url, { caseId: options.case ?? null }), {
        pretty: true,
      }),
    );

  evidence
    .command('import-blobs')
    .description(
      "PostgreSQL: copy the blobs older versions stored in this node's EVIDENCE_DIR into the database",
    )
    .action(() =>
      printWithDeps(async (deps) =>
        deps.dialect === 'postgres'
          ? importFileBlobs(deps.db, deps.config.evidence.blobDir)
          : { imported: 0, missing: 0, corrupt: 0 },
      ),
    );
}
