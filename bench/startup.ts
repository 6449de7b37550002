/**
 * bench/startup: how long the CLI and the server take to start.
 *
 * Figures, median of `--runs` runs, each with its ratio to the baseline `node -e 0` (Node's own
 * start) measured in the same run:
 * - `scamnet --help` through bin/scamnet.js (compiled dist/, as `npx scamnet` runs it) and through
 *   tsx from the TypeScript sources (a checkout whose dist/ is missing or older than src/);
 * - `scamnet url canonicalize` of one URL (no store) and `scamnet db migrate` on a temporary
 *   SQLite database (opens and checks the store), both from dist/;
 * - `npm start` from spawn to the first 200 of /healthz on a restart (the store already migrated
 *   and, unless `--no-demo`, holding the demo data, whose import on the first start is not
 *   timed), beside `node dist/main.js` alone: the difference is npm and the build check.
 * - With `--full-build`: once, the build every `npm start` used to run (`tsc` and `vite build`,
 *   `node scripts/build.js --force`) followed by the start to healthy.
 *
 * The server listens on a free loopback port with its files (database, keys, evidence) in a
 * temporary folder. dist/ is brought up to date first (`node scripts/build.js`).
 *
 * Run: node --import tsx bench/startup.ts [--runs N] [--no-demo] [--full-build]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'no-demo': { type: 'boolean', default: false },
    'full-build': { type: 'boolean', default: false },
  },
});
const RUNS = Number(options.runs);
const HEALTH_TIMEOUT_MS = 15 * 60_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Runs `node …args` to the end; its wall time in ms. Throws when it exits non-zero. */
function timeNode(args: string[], env: Record<string, string> = {}, input = ''): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return elapsed;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Spawns `command args` (in its own process group) and polls `/healthz` on `port` until it
 * answers 200; then stops the group. Returns the ms from spawn to that answer.
 */
async function timeToHealthy(
  command: string,
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${command} ${args.join(' ')} exited early:\n${stderr}`);
      if (performance.now() - started > HEALTH_TIMEOUT_MS) throw new Error('not healthy in time');
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    if (!exited && child.pid !== undefined) {
      const done = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await done;
    }
  }
}

function row(what: string, ms: number, baseline: number): void {
  const seconds = ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
  console.log(
    `${what.padEnd(52)} ${seconds.padStart(9)}  ${(ms / baseline).toFixed(1).padStart(6)}×`,
  );
}

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, ['scripts/build.js'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('node scripts/build.js failed');
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-startup-'));
  try {
    const repeat = (args: string[], env?: Record<string, string>, input?: string): number =>
      median(Array.from({ length: RUNS }, () => timeNode(args, env, input)));
    const store = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' };
    timeNode(['bin/scamnet.js', 'db', 'migrate'], store);

    console.log(`median of ${RUNS} runs; ratio to node -e 0`);
    const baseline = repeat(['-e', '0']);
    row('node -e 0 (baseline)', baseline, baseline);
    row('scamnet --help (dist)', repeat(['bin/scamnet.js', '--help']), baseline);
    row(
      'scamnet --help (tsx, src/)',
      repeat(['--import', 'tsx', 'src/cli/main.ts', '--help']),
      baseline,
    );
    row(
      'scamnet url canonicalize, one URL (dist)',
      repeat(['bin/scamnet.js', 'url', 'canonicalize'], {}, '"http://Example.com/a/../b"\n'),
      baseline,
    );
    row(
      'scamnet db migrate, SQLite (dist)',
      repeat(['bin/scamnet.js', 'db', 'migrate'], store),
      baseline,
    );

    const port = await freePort();
    const server = {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${path.join(dir, 'server.db')}`,
      DEMO_DATA: options['no-demo'] ? 'false' : 'true',
      ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
      EVIDENCE_DIR: path.join(dir, 'evidence'),
      LOG_SIGNING_KEY_FILE: path.join(dir, 'log-signing-key.pem'),
      DECISION_LINK_SECRET_FILE: path.join(dir, 'decision-link-secret'),
      LOG_LEVEL: 'warn',
    };
    const first = await timeToHealthy('npm', ['start', '--silent'], server, port);
    const demo = options['no-demo'] ? 'no demo data' : 'demo data';
    console.log(
      `first npm start (migrations${options['no-demo'] ? '' : ', demo import'}): ${(first / 1000).toFixed(1)} s`,
    );
    const restarts: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 5); i += 1) {
      restarts.push(await timeToHealthy('npm', ['start', '--silent'], server, port));
      direct.push(await timeToHealthy(process.execPath, ['dist/main.js'], server, port));
    }
    row(`npm start, restart to healthy (${demo})`, median(restarts), baseline);
    row(`node dist/main.js, restart to healthy (${demo})`, median(direct), baseline);
    if (options['full-build']) {
      const rebuilt = await timeToHealthy(
        'sh',
        ['-c', 'node scripts/build.js --force && node dist/main.js'],
        server,
        port,
      );
      row('full build, then start to healthy (npm start before)', rebuilt, baseline);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
