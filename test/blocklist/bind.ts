import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageWriter, parseMessage, readSoa, RR_TYPE, textName } from '../../src/dns/index.js';

/** Bound on how long BIND may take to load or reload a zone (a wait, not an assertion). */
const WAIT_MS = 30_000;

/** A TCP and UDP port that are both free on 127.0.0.1 now. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          resolve(typeof address === 'object' && address !== null ? address.port : 0),
        );
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** The SOA serial `port` on 127.0.0.1 answers for `zone` over UDP, or undefined (no answer yet). */
export async function soaSerial(port: number, zone: string): Promise<number | undefined> {
  const writer = new MessageWriter(4711, 0);
  writer.question({ name: textName(zone), type: RR_TYPE.SOA, class: 1 });
  const socket = createSocket('udp4');
  try {
    const reply = await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 500);
      socket.once('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      socket.once('error', () => resolve(undefined));
      socket.send(writer.finish(), port, '127.0.0.1');
    });
    if (reply === undefined) return undefined;
    const message = parseMessage(reply);
    const soa = message.answers.find((r) => r.type === RR_TYPE.SOA);
    return soa === undefined ? undefined : readSoa(reply, soa).serial;
  } catch {
    return undefined;
  } finally {
    socket.close();
  }
}

/** Polls `check` every 100 ms until it returns true or WAIT_MS passed; returns its last result. */
export async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A running `named` of our own on 127.0.0.1. */
export interface BindServer {
  readonly port: number;
  readonly dir: string;
  /** named's output so far (for failure messages). */
  readonly log: string[];
  /** Rewrites the primary zone file with `zoneText` and reloads it (SIGHUP) until it serves `serial`. */
  reload(zoneText: string, serial: number): Promise<void>;
  stop(): Promise<void>;
}

/** A TSIG key as named.conf takes it. */
export interface BindKey {
  readonly name: string;
  /** Base64. */
  readonly secret: string;
}

async function startNamed(
  dir: string,
  port: number,
  conf: string,
  ready: () => Promise<boolean>,
): Promise<{ named: ChildProcess; log: string[] }> {
  writeFileSync(path.join(dir, 'named.conf'), conf);
  const named = spawn('named', ['-g', '-c', path.join(dir, 'named.conf'), '-n', '1'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  named.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  named.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  const up = await eventually(async () => named.exitCode === null && (await ready()));
  if (!up) {
    named.kill('SIGKILL');
    throw new Error(`named did not start on port ${port}:\n${log.join('')}`);
  }
  return { named, log };
}

async function stopNamed(named: ChildProcess, dir: string): Promise<void> {
  const exited = new Promise((resolve) => named.once('exit', resolve));
  if (named.exitCode === null) named.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (named.exitCode === null) named.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

/** Options every test instance of named shares: loopback only, no recursion, no cookies. */
function commonOptions(dir: string, port: number): string {
  // answer-cookie no: DNS COOKIEs (RFC 7873) are per-server state, not the zone's data; a server
  // that does not implement them ignores the option (RFC 7873 §5.2), as scamnet's does.
  return `
  directory "${dir}";
  pid-file "${dir}/named.pid";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  answer-cookie no;
  dnssec-validation no;`;
}

/**
 * Starts BIND 9 as primary for `origin` loaded from `zoneText` (with `ixfr-from-differences`, so a
 * reload journals the difference and BIND answers IXFR from it), transfers allowed to anyone or,
 * with `key`, only to requests signed with that key.
 */
export async function startBindPrimary(options: {
  origin: string;
  zoneText: string;
  serial: number;
  key?: BindKey;
  /** More `options { }` statements. */
  options?: string;
}): Promise<BindServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bind-primary-'));
  const port = await freePort();
  const zoneFile = path.join(dir, 'zone.db');
  writeFileSync(zoneFile, options.zoneText);
  const key = options.key;
  const conf = `
${key === undefined ? '' : `key "${key.name}" { algorithm hmac-sha256; secret "${key.secret}"; };`}
controls { };
options {${commonOptions(dir, port)}
  notify no;
  ixfr-from-differences yes;
  allow-transfer { ${key === undefined ? 'any' : `key "${key.name}"`}; };
  ${options.options ?? ''}
};
zone "${options.origin}" { type primary; file "${zoneFile}"; };
`;
  const { named, log } = await startNamed(
    dir,
    port,
    conf,
    async () => (await soaSerial(port, options.origin)) === options.serial,
  );
  return {
    port,
    dir,
    log,
    reload: async (zoneText, serial) => {
      writeFileSync(zoneFile, zoneText);
      named.kill('SIGHUP');
      const loaded = await eventually(
        async () => (await soaSerial(port, options.origin)) === serial,
      );
      if (!loaded) throw new Error(`named did not load serial ${serial}:\n${log.join('')}`);
    },
    stop: async () => stopNamed(named, dir),
  };
}

/**
 * Starts BIND 9 as a secondary of `origin` from the primary on 127.0.0.1:`primaryPort`
 * (transfers signed with `key` when given; IXFR requested; NOTIFY accepted from 127.0.0.1).
 * Resolves once it serves some version of the zone.
 */
export async function startBindSecondary(options: {
  origin: string;
  primaryPort: number;
  port: number;
  key?: BindKey;
}): Promise<BindServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bind-secondary-'));
  const key = options.key;
  const conf = `
${key === undefined ? '' : `key "${key.name}" { algorithm hmac-sha256; secret "${key.secret}"; };`}
controls { };
options {${commonOptions(dir, options.port)}
  notify no;
};
zone "${options.origin}" {
  type secondary;
  primaries port ${options.primaryPort} { 127.0.0.1${key === undefined ? '' : ` key "${key.name}"`}; };
  file "${path.join(dir, 'secondary.db')}";
  allow-notify { 127.0.0.1; };
  request-ixfr yes;
};
`;
  const { named, log } = await startNamed(
    dir,
    options.port,
    conf,
    async () => (await soaSerial(options.port, options.origin)) !== undefined,
  );
  return {
    port: options.port,
    dir,
    log,
    reload: () => Promise.reject(new Error('a secondary takes its zone by transfer')),
    stop: async () => stopNamed(named, dir),
  };
}
