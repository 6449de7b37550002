import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeEntry, transitionEntry } from '../../src/blocklist/index.js';
import { RpzDnsServer } from '../../src/dns/index.js';

import { FakeClock } from '../../src/shared/clock.js';
import { createTestContext, type TestContext } from '../harness.js';
import { admin, block, DISPOSITION, UNIT } from './entries.js';
import { freePort } from './bind.js';
import { insertLegacyEntry } from './legacy-entry.js';
import { haveTools } from './tools.js';

// Real resolvers (BIND 9 `response-policy`, Unbound `rpz:`) take scamnet's RPZ zone by transfer
// from scamnet's DNS server, all on 127.0.0.1. Neither resolver can reach anything else: each
// serves a root zone of its own holding the test names (BIND also forwards to 127.0.0.1:9,
// where nothing listens).

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

/**
 * Nested entries active from the start: each pair blocks its whole subtree (the names between
 * them included), and `a.b.late-shop.com.tw` is joined by its ancestor over IXFR later.
 */
const NESTED_ENTRIES = [
  'nested-shop.com.tw',
  'a.b.nested-shop.com.tw',
  'd.c.b.mid-shop.com.tw',
  'b.mid-shop.com.tw',
  'a.b.late-shop.com.tw',
] as const;
/** Names under the nested entries (all must be blocked), and those under late-shop's ancestor. */
const UNDER_NESTED = [
  'nested-shop.com.tw',
  'b.nested-shop.com.tw',
  'c.b.nested-shop.com.tw',
  'a.b.nested-shop.com.tw',
  'deep.a.b.nested-shop.com.tw',
  'b.mid-shop.com.tw',
  'c.b.mid-shop.com.tw',
  'x.c.b.mid-shop.com.tw',
  'd.c.b.mid-shop.com.tw',
  'e.d.c.b.mid-shop.com.tw',
] as const;
const LATE_COVERED = ['b.late-shop.com.tw', 'c.b.late-shop.com.tw'] as const;
const LATE_ALWAYS = ['a.b.late-shop.com.tw', 'deep.a.b.late-shop.com.tw'] as const;

/**
 * Entries a database written before the guard's current rules could hold (inserted with SQL):
 * RPZ IP, client-IP and NSDNAME triggers, a public suffix and a bare TLD. Published, they would
 * black out every A answer, every query from 127.0.0.1, every name served from under .org,
 * everything under .com.tw or .tw.
 */
const HOSTILE = [
  '1.0.0.0.0.rpz-ip',
  '1.0.0.0.128.rpz-ip',
  '32.1.0.0.127.rpz-client-ip',
  'org.rpz-nsdname',
  'com.tw',
  'tw',
] as const;

/** The names every resolver serves itself (so nothing leaves the machine). */
const LOCAL_NAMES = [
  ['blocked-shop.com.tw', '192.0.2.10'],
  ['www.blocked-shop.com.tw', '192.0.2.11'],
  ['unrelated.com.tw', '192.0.2.20'],
  ['proposed-only.com.tw', '192.0.2.30'],
  ['landing.scamnet.test', '192.0.2.99'],
  ...[...UNDER_NESTED, ...LATE_COVERED, ...LATE_ALWAYS, 'late-shop.com.tw'].map(
    (name) => [name, '192.0.2.40'] as const,
  ),
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
  await block(ctx, 'blocked-shop.com.tw', DISPOSITION, UNIT);
  await proposeEntry(ctx.deps, admin, { domain: 'proposed-only.com.tw' });
  for (const domain of NESTED_ENTRIES) await block(ctx, domain, DISPOSITION, UNIT);
  const at = new Date(ctx.clock.now()).toISOString();
  for (const [i, domain] of HOSTILE.entries()) {
    const id = `BHOSTILE${String(i).padStart(5, '0')}`;
    await insertLegacyEntry(ctx.deps.db, { id, domain, state: 'active', at });
  }
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

/** Expects `name` answered as the upstream zone has it: NOERROR with the one A record `address`. */
async function expectUpstreamAnswer(port: number, name: string, address: string): Promise<void> {
  expect(await dig(port, name)).toEqual({
    status: 'NOERROR',
    answers: [`${name}. IN A ${address}`],
  });
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
        blockedAnswer(await dig(h.resolverPort, 'blocked-shop.com.tw')),
      );
      expect(loaded, `resolver never applied the zone:\n${h.log.join('')}`).toBe(true);
      expect(blockedAnswer(await dig(h.resolverPort, 'www.blocked-shop.com.tw'))).toBe(true);
      await expectUpstreamAnswer(h.resolverPort, 'unrelated.com.tw', '192.0.2.20');
      // Proposed entries are not published.
      await expectUpstreamAnswer(h.resolverPort, 'proposed-only.com.tw', '192.0.2.30');
    },
  );

  it(
    'blocks every name under an active entry whatever is nested under it, and none of the entries stored before the fix reach it',
    { timeout: 60_000 },
    async () => {
      const h = getHarness();
      for (const name of [...UNDER_NESTED, ...LATE_ALWAYS]) {
        const answer = await dig(h.resolverPort, name);
        expect(blockedAnswer(answer), `${name}: ${JSON.stringify(answer)}`).toBe(true);
      }
      // The RPZ IP, client-IP, NSDNAME, public-suffix and TLD triggers would block these.
      await expectUpstreamAnswer(h.resolverPort, 'unrelated.com.tw', '192.0.2.20');
      await expectUpstreamAnswer(h.resolverPort, 'landing.scamnet.test', '192.0.2.99');
    },
  );

  it(
    'an entry added above an active one covers the names between them after IXFR; lifting it uncovers them and keeps the inner block',
    { timeout: 90_000 },
    async () => {
      const h = getHarness();
      const before = h.server.serial;
      h.ctx.clock.advance(1000);
      const late = await block(h.ctx, 'late-shop.com.tw', DISPOSITION, UNIT);
      expect(await h.server.refresh()).toBe(true);
      const covered = await eventually(async () =>
        blockedAnswer(await dig(h.resolverPort, 'b.late-shop.com.tw')),
      );
      expect(covered, `resolver never took the new entry:\n${h.log.join('')}`).toBe(true);
      for (const name of [...LATE_COVERED, ...LATE_ALWAYS, 'late-shop.com.tw']) {
        expect(blockedAnswer(await dig(h.resolverPort, name)), name).toBe(true);
      }
      const added = h.server.serial;
      h.ctx.clock.advance(1000);
      await transitionEntry(h.ctx.deps, admin, late.id, 'lift', 'appeal upheld');
      expect(await h.server.refresh()).toBe(true);
      const uncovered = await eventually(async () => {
        const r = await dig(h.resolverPort, 'b.late-shop.com.tw');
        return r.status === 'NOERROR' && r.answers.join() === 'b.late-shop.com.tw. IN A 192.0.2.40';
      });
      expect(uncovered, `resolver kept blocking after the lift:\n${h.log.join('')}`).toBe(true);
      for (const name of LATE_ALWAYS) {
        expect(blockedAnswer(await dig(h.resolverPort, name)), name).toBe(true);
      }
      for (const [from, to] of [
        [before, added],
        [added, h.server.serial],
      ]) {
        const transfer = h.server.transfers.find(
          (t) =>
            t.query === 'IXFR' && t.transport === 'tcp' && t.fromSerial === from && t.serial === to,
        );
        expect(transfer, JSON.stringify(h.server.transfers)).toMatchObject({
          answer: 'incremental',
        });
      }
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
      const entry = entries.find((e) => e.domain === 'blocked-shop.com.tw');
      const before = h.server.serial;
      h.ctx.clock.advance(1000);
      await transitionEntry(h.ctx.deps, admin, entry?.id ?? '', 'lift', 'appeal upheld');
      await block(h.ctx, 'second-wave.com.tw', DISPOSITION, UNIT);
      expect(await h.server.refresh()).toBe(true);
      const after = h.server.serial;
      expect(after).toBeGreaterThan(before);
      const unblocked = await eventually(async () => {
        const r = await dig(h.resolverPort, 'blocked-shop.com.tw');
        return (
          r.status === 'NOERROR' && r.answers.join() === 'blocked-shop.com.tw. IN A 192.0.2.10'
        );
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
  response-policy { zone "rpz.scamnet" min-update-interval 0; } recursive-only no qname-wait-recurse no;
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
