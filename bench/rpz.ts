// Benchmark of the DNS RPZ zone (issue 6). Run: node --import tsx bench/rpz.ts [entries]
// 1. Render a 1,000,000-entry zone to a file: time and peak memory, beside the ceiling of writing
//    the same bytes from a prepared array of chunks in the same run.
// 2. The same number of active entries in a SQLite store, 1,000 changes (500 lifted, 500 new),
//    then an IXFR for those changes from scamnet's DNS server over loopback TCP: response size,
//    messages and time, beside an AXFR of the whole zone from the same server.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as dnsPacket from 'dns-packet';
import { sql } from 'kysely';
import {
  activateEntry,
  proposeEntry,
  renderRpzZone,
  transitionEntry,
  type RpzZoneSettings,
} from '../src/blocklist/index.js';
import { loadConfig } from '../src/config/index.js';
import { RpzDnsServer } from '../src/dns/index.js';

import { FakeClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest } from '../src/store/index.js';

import type { Actor } from '../src/policy/index.js';
const COUNT = Number(process.argv[2] ?? 1_000_000);
const CHANGES = 1000;
const settings: RpzZoneSettings = {
  origin: 'rpz.scamnet',
  action: { kind: 'nxdomain' },
  ttl: 300,
  nameserver: 'localhost',
  hostmaster: 'hostmaster.rpz.scamnet',
};
const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-rpz-'));

function domainOf(i: number): string {
  return `scam-${String(i).padStart(7, '0')}.com`;
}

let peakRss = 0;
function sampleRss(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

async function writeChunks(file: string, chunks: Iterable<string>): Promise<number> {
  const out = createWriteStream(file);
  const start = performance.now();
  for (const chunk of chunks) {
    sampleRss();
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return performance.now() - start;
}

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

async function renderBench(): Promise<void> {
  const domains = Array.from({ length: COUNT }, (_, i) => domainOf(i));
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  peakRss = baseRss;
  const zoneFile = path.join(dir, 'zone.txt');
  const renderMs = await writeChunks(zoneFile, renderRpzZone(domains, settings, 2026112901));
  const renderPeak = peakRss;
  const bytes = statSync(zoneFile).size;
  const prepared = [...renderRpzZone(domains, settings, 2026112901)];
  // Best of two alternating rounds each, so page-cache writeback of one file does not land on
  // the other's timing.
  let ceilingMs = Infinity;
  let bestRenderMs = renderMs;
  for (let round = 0; round < 2; round += 1) {
    ceilingMs = Math.min(ceilingMs, await writeChunks(path.join(dir, 'ceiling.txt'), prepared));
    bestRenderMs = Math.min(
      bestRenderMs,
      await writeChunks(zoneFile, renderRpzZone(domains, settings, 2026112901)),
    );
  }
  console.log(
    `render ${COUNT.toLocaleString('en')} entries: ${bestRenderMs.toFixed(0)} ms, ${mb(bytes)}, ` +
      `peak RSS ${mb(renderPeak)} (${mb(renderPeak - baseRss)} above the domain array)`,
  );
  console.log(
    `ceiling (same bytes from a prepared array): ${ceilingMs.toFixed(0)} ms; ratio ${(bestRenderMs / ceilingMs).toFixed(2)}x`,
  );
}

async function tcpTransfer(
  port: number,
  message: Buffer,
): Promise<{ bytes: number; messages: number; ms: number }> {
  const start = performance.now();
  const socket = connect({ host: '127.0.0.1', port });
  const frame = Buffer.alloc(2);
  frame.writeUInt16BE(message.length);
  socket.write(Buffer.concat([frame, message]));
  let pending = Buffer.alloc(0);
  let bytes = 0;
  let messages = 0;
  let soas = 0;
  let firstSerial: number | undefined;
  let incremental: boolean | undefined;
  let records = 0;
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const body = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + body.length);
        bytes += body.length + 2;
        messages += 1;
        for (const answer of dnsPacket.decode(Buffer.from(body)).answers ?? []) {
          records += 1;
          if (answer.type !== 'SOA') {
            if (records === 2) incremental = false;
            continue;
          }
          if (records === 2) incremental = true;
          firstSerial ??= answer.data.serial;
          if (answer.data.serial === firstSerial) soas += 1;
        }
        if (soas >= (incremental === true ? 3 : 2)) {
          socket.destroy();
          resolve();
          return;
        }
      }
    });
  });
  return { bytes, messages, ms: performance.now() - start };
}

async function ixfrBench(): Promise<void> {
  const config = loadConfig(
    { DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`, DNS_HOST: '127.0.0.1', DNS_PORT: '0' },
    dir,
  );
  const store = createStore(config.store);
  await migrateToLatest(store.db);
  const clock = new FakeClock(Date.now());
  const deps: ServiceDeps = {
    db: store.db,
    dialect: store.dialect,
    clock,
    config,
    log: createLogger('silent'),
  };
  const at = new Date(clock.now()).toISOString();
  const serial = Math.floor(clock.now() / 1000);
  await sql`with recursive n(i) as (select 0 union all select i + 1 from n where i < ${COUNT - 1})
    insert into blocklist_entries (id, domain, tree_key, state, legal_basis, legal_reference, legal_date,
      requesting_unit, site_type, effective_at, expires_at, source, external_id, note, created_at, updated_at)
    select 'B' || printf('%012d', i), 'scam-' || printf('%07d', i) || '.com',
      'com.scam-' || printf('%07d', i) || '.', 'active',
      'court_ruling', 'BENCH', '2026-11-01', 'bench', null, ${at}, null, 'bench', null, null, ${at}, ${at}
    from n`.execute(store.db);
  await store.db
    .insertInto('rpz_versions')
    .values({ serial, seq: 1, at, policy: 'nxdomain:.:ttl=300', changes: COUNT })
    .execute();
  const server = new RpzDnsServer(deps);
  const { port } = await server.start({ poll: false });
  const before = server.serial;
  const admin: Actor = { role: 'admin', id: 'admin:bench' };
  clock.advance(1000);
  for (let i = 0; i < CHANGES / 2; i += 1) {
    await transitionEntry(deps, admin, `B${String(i * 7).padStart(12, '0')}`, 'lift', 'bench');
    const entry = await proposeEntry(deps, admin, {
      domain: `new-${i}.com`,
      legalBasis: { kind: 'court_ruling', reference: 'BENCH', date: '2026-11-01' },
      requestingUnit: 'bench',
    });
    await activateEntry(deps, admin, entry.id, {});
  }
  await server.refresh({ notify: false });
  const query = (type: 'IXFR' | 'AXFR') =>
    dnsPacket.encode({
      type: 'query',
      id: 1,
      questions: [{ name: 'rpz.scamnet', type, class: 'IN' }],
      authorities:
        type === 'IXFR'
          ? [
              {
                name: 'rpz.scamnet',
                type: 'SOA',
                ttl: 0,
                data: { mname: '.', rname: '.', serial: before },
              },
            ]
          : [],
    });
  const ixfr = await tcpTransfer(port, query('IXFR'));
  const axfr = await tcpTransfer(port, query('AXFR'));
  console.log(
    `IXFR of ${CHANGES} changes on ${COUNT.toLocaleString('en')} entries: ${ixfr.ms.toFixed(0)} ms, ` +
      `${(ixfr.bytes / 1024).toFixed(1)} KiB in ${ixfr.messages} messages`,
  );
  console.log(
    `AXFR of the same zone: ${axfr.ms.toFixed(0)} ms, ${mb(axfr.bytes)} in ${axfr.messages} messages; ` +
      `IXFR/AXFR bytes ${(ixfr.bytes / axfr.bytes).toFixed(4)}`,
  );
  await server.stop();
  await store.destroy();
}

try {
  await renderBench();
  await ixfrBench();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
