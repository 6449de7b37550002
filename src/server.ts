import { openDeps, DEMO_DATA_DIR } from './bootstrap.js';
import { shippedScamClassifier } from './classifier/index.js';
import { ConfigError, loadConfig, publicBaseUrlWarnings } from './config/index.js';

import type { ServiceDeps } from './shared/deps.js';
import { deliverCaseUpdates, type FollowerSenders } from './followers/index.js';
import { followerSendersOf } from './line/index.js';
import { runSweep } from './takedown/index.js';
import { resolveAdminToken } from './identity/index.js';
import { importDemoOnStart } from './demo/index.js';
import { importFileBlobs } from './evidence/index.js';
import { getLogIntegration, integrateLog, startLogSequencer } from './log/index.js';

import { buildApp } from './app/index.js';
/**
 * The server: load config → open and migrate the store → start the log's sequencer → import the
 * demo data into an empty store → integrate every committed event into the log (what a crash
 * left, what the import wrote) → build the app → listen; SIGINT/SIGTERM stop the sequencer, close
 * the listener, integrate what requests in flight recorded, then close the store.
 */
export async function startServer(): Promise<void> {
  // The server keeps the shared secrets in its files too: an operator reads the admin token there.
  const loaded = loadConfig();
  const { deps, close } = await openDeps(loaded, { writeSecretFiles: true });
  // On PostgreSQL it holds the secrets the nodes share.
  const { config } = deps;
  const { log } = deps;
  // Triage's classifier is read now, so a missing or outdated model file stops the start.
  const classifier = shippedScamClassifier();
  log.info(
    { version: classifier.version, ruleClasses: classifier.ruleClasses },
    'scam classifier loaded',
  );
  // Events committed but not yet in the log when a process died are integrated by the first round.
  const sequencer = startLogSequencer(deps);
  const demo = config.demoData ? await importDemoOnStart(deps, DEMO_DATA_DIR) : null;
  if (demo !== null) {
    for (const { file, summary, shiftDays } of demo.files) {
      log.info(
        {
          file,
          accepted: summary.accepted,
          cases: summary.newCases,
          rejected: summary.rejected.length,
          shiftDays,
        },
        'demo data imported',
      );
      for (const { line, message } of summary.rejected.slice(0, 20)) {
        log.warn({ file, line, reason: message }, 'demo row refused');
      }
    }
    for (const [list, summary] of Object.entries(demo.blocklist)) {
      if (summary === null) continue;
      log.info(
        {
          list,
          active: summary.activated,
          proposed: summary.proposed,
          duplicates: summary.duplicates,
          refused: summary.rejected.length,
        },
        'demo blocklist entries imported',
      );
      for (const { line, message } of summary.rejected.slice(0, 20)) {
        log.warn({ list, line, reason: message }, 'demo blocklist row refused');
      }
    }
    log.info(
      { ...demo.notices, bulletinWeek: demo.bulletinWeek },
      'demo notices sent and acknowledged by the demo LINE liaison; bulletin published',
    );
  }
  // A large backlog (a crash under load) takes a while: say so before, not only after.
  const waiting = await getLogIntegration(deps);
  if (waiting.pendingEvents > 0) {
    log.info(
      { pendingEvents: waiting.pendingEvents, oldestPendingAt: waiting.oldestPendingAt },
      'integrating committed events into the log before listening',
    );
  }
  const integration = await integrateLog(deps);
  if (integration.integrated > 0) log.info(integration, 'log integrated');
  const admin = resolveAdminToken(config);
  if (loaded.adminToken === undefined) {
    log.info(
      { file: config.adminTokenFile },
      'ADMIN_TOKEN is not set: the admin token is in this file',
    );
  }
  const app = await buildApp({ deps, adminToken: admin.token });
  // The sweep also picks up LINE events a crashed node had claimed and forgets stale offers.
  const sweep = startSweepTimer(
    deps,
    followerSendersOf(deps.config),
    () => void app.lineBot?.sweep(),
  );
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    sweep.stop();
    // The app first, so that what requests in flight record is integrated before the store
    // closes: the merge delay holds at shutdown too.
    void sequencer
      .stop()
      .then(() => app.close())
      .then(() => integrateLog(deps))
      .then(close)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  for (const warning of publicBaseUrlWarnings(config.workflow, config)) log.warn(warning);
  if (deps.dialect === 'postgres') void copyFileBlobs(deps);
}

/**
 * On PostgreSQL, copies the evidence blobs an older version stored in this node's EVIDENCE_DIR
 * into the database (importFileBlobs: batched, hash-checked, idempotent), in the background after
 * the start, so every node serves them; warns while some are in no node's reach from here.
 */
async function copyFileBlobs(deps: ServiceDeps): Promise<void> {
  try {
    const summary = await importFileBlobs(deps.db, deps.config.evidence.blobDir);
    if (summary.imported > 0) {
      deps.log.info(summary, 'evidence blobs copied from EVIDENCE_DIR into the database');
    }
    if (summary.missing + summary.corrupt > 0) {
      deps.log.warn(
        summary,
        'evidence blobs missing from the database and from this EVIDENCE_DIR: start each node that has an EVIDENCE_DIR from an older version once, or run `scamnet evidence import-blobs` there',
      );
    }
  } catch (error) {
    deps.log.error({ err: error }, 'copying evidence blobs into the database failed');
  }
}

/**
 * Runs the sweep (deadlines, sanctions, deliveries, followers' messages) every
 * SWEEP_INTERVAL_SECONDS, calling `alsoEachRun` first (the LINE bot's pick-up of waiting events);
 * one run at a time per process (several processes are safe: the sweep claims each item it
 * touches).
 */
function startSweepTimer(
  deps: ServiceDeps,
  followerSenders: FollowerSenders,
  alsoEachRun: () => void,
): { stop: () => void } {
  const seconds = deps.config.workflow.sweepIntervalSeconds;
  if (seconds === 0) return { stop: () => undefined };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    alsoEachRun();
    runSweep(deps)
      .then(async (result) => {
        if (result.missedDeadlines + result.deliveries.sent + result.deliveries.failed > 0) {
          deps.log.info(result, 'sweep');
        }
        // After the takedown work, whose deliveries change cases' public states.
        const followers = await deliverCaseUpdates(deps, followerSenders);
        if (followers.sent + followers.failed + followers.removed > 0) {
          deps.log.info(followers, 'follower messages');
        }
      })
      .catch((error: unknown) => deps.log.error({ err: error }, 'sweep failed'))
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Runs startServer, printing configuration problems plainly and exiting non-zero on failure. */
export async function runServer(): Promise<void> {
  try {
    await startServer();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(
      `scamnet failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
}
