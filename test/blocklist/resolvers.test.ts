import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activateEntry,
  proposeEntry,
  transitionEntry,
  type BlocklistEntry,
} from '../../src/blocklist/index.js';
import { RpzDnsServer } from '../../src/dns/index.js';
import type { Actor } from '../../src/identity/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { createTestContext, type TestContext } from '../harness.js';
import { freePort } from './bind.js';
import { haveTools } from './tools.js';

// Real resolvers (BIND 9 `response-policy`, Unbound `rpz:`) take scamnet's RPZ zone by transfer
// from scamnet's DNS server, all on 127.0.0.1. Neither resolver can reach anything else: each
// serves a root zone of its own holding the test names (BIND also forwards to 127.0.0.1:9,
// where nothing listens).

const admin: Actor = { role: 'admin', id: 'admin:token' };
const KEY_SECRET = Buffer.from('scamnet-interop-tsig-secret-0123456789').toString('base64');
/** Bound on how long a resolver may take to load or update the zone (a wait, not an assertion). */
const WAIT_MS = 30_000;

/** `dig` against the resolver: the status and the answer section, one record per line. */
async function dig(
  port: number,
  name: string,
  type = 'A',
): Promise<{ status: string; answers: string[] }> {
  const out = await new Promise<string>((resolve) => {
    execFile(
      'dig',
      [
        '+time=2',
        '+tries=1',
        '+noall',
        '+comments',
        '+answer',
        '-p',
        String(port),
        '@127.0.0.1',
        name,
        type,
      ],
      (_error, stdout) => resolve(stdout),
    );
  });
  const status = /status: ([A-Z]+)/.exec(out)?.[1] ?? 'NO_ANSWER';
  const answers = out
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith(';'))
    .map((l) =>
      l
        .split(/\s+/)
        .filter((_, i) => i !== 1)
        .join(' '),
    );
  return { status, answers };
}

/** Polls `check` until it returns true or WAIT_MS passed; returns its last result. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function block(ctx: TestContext, domain: string): Promise<BlocklistEntry> {
  const entry = await proposeEntry(ctx.deps, admin, {
    domain,
    legalBasis: {
      kind: 'administrative_disposition',
      reference: 'MODA-115-001',
      date: '2026-11-20',
    },
    requestingUnit: '刑事警察局詐欺犯罪防制中心',
  });
  return activateEntry(ctx.deps, admin, entry.id, {});
}

/** The names every resolver serves itself (so nothing leaves the machine). */
const LOCAL_NAMES = [
  ['blocked-shop.test', '192.0.2.10'],
  ['www.blocked-shop.test', '192.0.2.11'],
  ['unrelated.test', '192.0.2.20'],
  ['proposed-only.test', '192.0.2.30'],
  ['landing.scamnet.test', '192.0.2.99'],
] as const;

/**
 * A root zone holding the test names, served by each resolver itself: the resolvers answer from
 * it and never contact the real root servers (Unbound local-data would bypass RPZ, so the names
 * are authoritative data instead).
 */
function rootZone(): string {
  return [
    '$TTL 60',
    '. SOA localhost. root.localhost. 1 3600 600 86400 60',
    '. NS localhost.',
    'localhost. A 127.0.0.1',
    ...LOCAL_NAMES.map(([name, ip]) => `${name}. A ${ip}`),
    '',
  ].join('\n');
}

interface Harness {
  ctx: TestContext;
  server: RpzDnsServer;
  resolver: ChildProcess;
  resolverPort: number;
  dir: string;
  log: string[];
}

async function setUp(
  kind: 'bind' | 'unbound',
  env: Record<string, string>,
  config: (dir: string, scamnetPort: number, resolverPort: number) => { args: string[] },
): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), `scamnet-${kind}-`));
  const resolverPort = await freePort();
  const ctx = await createTestContext('sqlite', {
    env: { DNS_HOST: '127.0.0.1', DNS_PORT: '0', DNS_NOTIFY: `127.0.0.1:${resolverPort}`, ...env },
    clock: new FakeClock(Date.now()),
  });
  await block(ctx, 'blocked-shop.test');
  await proposeEntry(ctx.deps, admin, { domain: 'proposed-only.test' });
  const server = new RpzDnsServer(ctx.deps);
  const { port } = await server.start({ poll: false });
  const { args } = config(dir, port, resolverPort);
  const [command = '', ...rest] = args;
  const resolver = spawn(command, rest, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  resolver.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  resolver.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  return { ctx, server, resolver, resolverPort, dir, log };
}

async function tearDown(h: Harness | undefined): Promise<void> {
  if (h === undefined) return;
  const exited = new Promise((resolve) => h.resolver.once('exit', resolve));
  if (h.resolver.exitCode === null) h.resolver.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (h.resolver.exitCode === null) h.resolver.kill('SIGKILL');
  await h.server.stop();
  await h.ctx.close();
  rmSync(h.dir, { recursive: true, force: true });
}

/** The shared scenario: blocked name and subdomain, unrelated and proposed names, lift → unblocked via NOTIFY + IXFR. */
function scenario(
  getHarness: () => Harness,
  blockedAnswer: (r: { status: string; answers: string[] }) => boolean,
): void {
  it(
    'blocks an active domain and its subdomains with the configured action, and nothing else',
    { timeout: 60_000 },
    async () => {
      const h = getHarness();
      const loaded = await eventually(async () =>
        blockedAnswer(await dig(h.resolverPort, 'blocked-shop.test')),
      );
      expect(loaded, `resolver never applied the zone:\n${h.log.join('')}`).toBe(true);
      expect(blockedAnswer(await dig(h.resolverPort, 'www.blocked-shop.test'))).toBe(true);
      expect(await dig(h.resolverPort, 'unrelated.test')).toEqual({
        status: 'NOERROR',
        answers: ['unrelated.test. IN A 192.0.2.20'],
      });
      // Proposed entries are not published.
      expect(await dig(h.resolverPort, 'proposed-only.test')).toEqual({
        status: 'NOERROR',
        answers: ['proposed-only.test. IN A 192.0.2.30'],
      });
    },
  );

  it(
    'stops blocking a lifted domain once NOTIFY and IXFR bring it the new serial',
    { timeout: 60_000 },
    async () => {
      const h = getHarness();
      const entries = await h.ctx.deps.db
        .selectFrom('blocklist_entries')
        .select(['id', 'domain'])
        .execute();
      const entry = entries.find((e) => e.domain === 'blocked-shop.test');
      const before = h.server.serial;
      h.ctx.clock.advance(1000);
      await transitionEntry(h.ctx.deps, admin, entry?.id ?? '', 'lift', 'appeal upheld');
      await block(h.ctx, 'second-wave.test');
      expect(await h.server.refresh()).toBe(true);
      const after = h.server.serial;
      expect(after).toBeGreaterThan(before);
      const unblocked = await eventually(async () => {
        const r = await dig(h.resolverPort, 'blocked-shop.test');
        return r.status === 'NOERROR' && r.answers.join() === 'blocked-shop.test. IN A 192.0.2.10';
      });
      expect(unblocked, `resolver kept blocking after the lift:\n${h.log.join('')}`).toBe(true);
      const incremental = h.server.transfers.find(
        (t) =>
          t.query === 'IXFR' &&
          t.transport === 'tcp' &&
          t.fromSerial === before &&
          t.serial === after,
      );
      expect(incremental, JSON.stringify(h.server.transfers)).toMatchObject({
        answer: 'incremental',
      });
    },
  );
}

const bindReady = haveTools('BIND RPZ interop', ['named', 'dig']);
describe.runIf(bindReady)('BIND 9 response-policy secondary (TSIG, NOTIFY, IXFR)', () => {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await setUp(
      'bind',
      { DNS_TSIG_KEY: `xfr-key:${KEY_SECRET}` },
      (dir, scamnetPort, resolverPort) => {
        writeFileSync(
          path.join(dir, 'root.zone'),
          [
            '$TTL 60',
            '@ SOA localhost. root.localhost. 1 3600 600 86400 60',
            '@ NS localhost.',
            'localhost. A 127.0.0.1',
            ...LOCAL_NAMES.map(([name, ip]) => `${name}. A ${ip}`),
            '',
          ].join('\n'),
        );
        writeFileSync(
          path.join(dir, 'named.conf'),
          `
key "xfr-key" { algorithm hmac-sha256; secret "${KEY_SECRET}"; };
controls { };
options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  listen-on port ${resolverPort} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion yes;
  allow-query { 127.0.0.1; };
  allow-recursion { 127.0.0.1; };
  forward only;
  forwarders { 127.0.0.1 port 9; };
  dnssec-validation no;
  notify no;
  response-policy { zone "rpz.scamnet"; } recursive-only no qname-wait-recurse no;
};
zone "." { type primary; file "root.zone"; };
zone "rpz.scamnet" {
  type secondary;
  primaries port ${scamnetPort} { 127.0.0.1 key "xfr-key"; };
  file "rpz.scamnet.db";
  allow-notify { 127.0.0.1; };
  request-ixfr yes;
};
`,
        );
        return { args: ['named', '-g', '-c', path.join(dir, 'named.conf'), '-n', '1'] };
      },
    );
  }, 60_000);
  afterAll(async () => tearDown(h), 30_000);
  scenario(
    () => {
      if (h === undefined) throw new Error('BIND harness not started');
      return h;
    },
    (r) => r.status === 'NXDOMAIN' && r.answers.length === 0,
  );
});

const unboundReady = haveTools('Unbound RPZ interop', ['unbound', 'dig']);
describe.runIf(unboundReady)('Unbound rpz: secondary with a walled garden (NOTIFY, IXFR)', () => {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await setUp(
      'unbound',
      { RPZ_ACTION: 'walled-garden', RPZ_LANDING_HOST: 'landing.scamnet.test' },
      (dir, scamnetPort, resolverPort) => {
        writeFileSync(path.join(dir, 'root.zone'), rootZone());
        writeFileSync(
          path.join(dir, 'unbound.conf'),
          `
server:
  interface: 127.0.0.1@${resolverPort}
  port: ${resolverPort}
  do-ip6: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${dir}/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 1
  module-config: "respip iterator"
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  auto-trust-anchor-file: ""
  trust-anchor-file: ""
  local-zone: "test." nodefault
auth-zone:
  name: "."
  zonefile: "${dir}/root.zone"
  for-upstream: yes
  for-downstream: no
  fallback-enabled: no
rpz:
  name: "rpz.scamnet"
  primary: 127.0.0.1@${scamnetPort}
  allow-notify: 127.0.0.1
  rpz-log: yes
  rpz-log-name: scamnet
remote-control:
  control-enable: no
`,
        );
        return { args: ['unbound', '-d', '-c', path.join(dir, 'unbound.conf')] };
      },
    );
  }, 60_000);
  afterAll(async () => tearDown(h), 30_000);
  scenario(
    () => {
      if (h === undefined) throw new Error('Unbound harness not started');
      return h;
    },
    (r) =>
      r.status === 'NOERROR' &&
      r.answers.some((a) => / CNAME landing\.scamnet\.test\.$/.test(a)) &&
      r.answers.some((a) => /^landing\.scamnet\.test\. IN A 192\.0\.2\.99$/.test(a)),
  );
});
