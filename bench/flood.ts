/**
 * bench/flood: does one abusive client slow down everybody else's lookups? (issue 20)
 *
 * Starts the real server (`src/main.ts`, SQLite, no demo data, TRUST_PROXY so each simulated
 * client is told apart by its X-Forwarded-For address) in a child process, stores `--reports`
 * generated reports through the API, then measures a well-behaved client doing lookups at a
 * steady 20 requests/s (one connection, its own address):
 *   1. alone;
 *   2. while one address floods `GET /api/v1/search` with `--connections` connections as fast as
 *      it can, per-client limits switched off (SEARCH/LOOKUP/API_RATE_LIMIT_PER_MINUTE=0);
 *   3. the same flood with the default limits (the flood gets 429 after 120 searches a minute).
 * The flooder runs in a worker thread, the victim in this one.
 * Prints the victim's p50/p99 latency in each, the ratio of its p99 under flood to its p99 alone,
 * and what the flooder got (requests/s, share refused).
 * Run: `node --import tsx bench/flood.ts [--seconds S] [--connections C] [--reports N]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(arg('--seconds') ?? 10);
const CONNECTIONS = Number(arg('--connections') ?? 32);
const REPORTS = Number(arg('--reports') ?? 300);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const VICTIM = '198.51.100.20';
const FLOODER = '198.51.100.66';
const WORDS = ['投資', '飆股', '老師', '群組', '包裹', '運費', '貼圖', '中獎', '客服', '退款'];

async function startServer(
  dir: string,
  port: number,
  limits: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/main.ts')],
    {
      cwd: dir,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${path.join(dir, 'flood.db')}`,
        DEMO_DATA: 'false',
        ADMIN_TOKEN,
        TRUST_PROXY: 'true',
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
        REPORT_RATE_LIMIT_PER_MINUTE: '0',
        WEB_ROOT: path.join(dir, 'no-web'),
        ...limits,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) throw new Error('the server did not start in 120 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function seed(port: number): Promise<void> {
  for (let i = 0; i < REPORTS; i += 1) {
    const text =
      `${WORDS[i % WORDS.length] ?? ''}${WORDS[(i * 7) % WORDS.length] ?? ''} 第${i}則 ` +
      `加LINE lk${i.toString(36)} 或撥 09${String(10_000_000 + i).slice(-8)}`;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.1' },
      body: JSON.stringify({ text }),
    });
    if (res.status !== 201) throw new Error(`seeding: ${res.status} ${await res.text()}`);
  }
}

interface Figures {
  victim: { p50: number; p99: number; requests: number; non2xx: number };
  flooder: { perSecond: number; refused: number } | null;
}

async function measure(port: number, flood: boolean): Promise<Figures> {
  const base = `http://127.0.0.1:${port}`;
  const victim = autocannon({
    url: `${base}/api/v1/lookup?q=lk${(7).toString(36)}`,
    connections: 1,
    overallRate: 20,
    duration: SECONDS,
    headers: { 'x-forwarded-for': VICTIM },
  });
  const flooder = flood
    ? autocannon({
        url: `${base}/api/v1/search?q=${encodeURIComponent('投資老師')}`,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { 'x-forwarded-for': FLOODER },
        // In a worker thread of its own: in this thread the flood's own work delayed the
        // victim's requests before they left, counted as server latency.
        workers: 1,
      })
    : null;
  const [v, f] = await Promise.all([victim, flooder]);
  return {
    victim: {
      p50: v.latency.p50,
      p99: v.latency.p99,
      requests: v.requests.total,
      non2xx: v.non2xx,
    },
    flooder:
      f === null
        ? null
        : {
            perSecond: Math.round(f.requests.average),
            refused:
              f.requests.total === 0
                ? 0
                : (f.statusCodeStats?.['429']?.count ?? 0) / f.requests.total,
          },
  };
}

function line(name: string, figures: Figures, alone: Figures | null): string {
  const { p50, p99, requests, non2xx } = figures.victim;
  const ratio =
    alone === null ? '' : `  p99 ${(p99 / Math.max(alone.victim.p99, 1)).toFixed(1)}× alone`;
  const flood =
    figures.flooder === null
      ? ''
      : `  | flooder ${figures.flooder.perSecond} req/s, ${(figures.flooder.refused * 100).toFixed(1)} % refused (429)`;
  return `${name.padEnd(28)} victim p50 ${p50} ms, p99 ${p99} ms (${requests} lookups, ${non2xx} not 2xx)${ratio}${flood}`;
}

const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-flood-'));
const port = 18_000 + Math.floor(Math.random() * 1000);
try {
  const off = {
    SEARCH_RATE_LIMIT_PER_MINUTE: '0',
    LOOKUP_RATE_LIMIT_PER_MINUTE: '0',
    API_RATE_LIMIT_PER_MINUTE: '0',
  };
  let server = await startServer(dir, port, off);
  await seed(port);
  const alone = await measure(port, false);
  const unlimited = await measure(port, true);
  await stop(server);
  server = await startServer(dir, port, {});
  const aloneLimited = await measure(port, false);
  const limited = await measure(port, true);
  await stop(server);
  console.log(
    `flood: ${REPORTS} reports stored; victim 20 lookups/s; flooder ${CONNECTIONS} connections of search; ${SECONDS} s each`,
  );
  console.log(line('alone, limits off', alone, null));
  console.log(line('flood, limits off', unlimited, alone));
  console.log(line('alone, default limits', aloneLimited, null));
  console.log(line('flood, default limits', limited, aloneLimited));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
