import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentZone,
  renderRpzZoneText,
  transitionEntry,
  type ZoneSnapshot,
} from '../../src/blocklist/index.js';
import type { TsigKeyConfig } from '../../src/config/index.js';
import { RpzDnsServer, signMessage, textName } from '../../src/dns/index.js';

import { FakeClock } from '../../src/shared/clock.js';
import { createTestContext, testDialects, type TestContext } from '../harness.js';
import { admin, block } from './entries.js';
import { startBindPrimary, type BindServer } from './bind.js';
import {
  applyTransfer,
  axfrContents,
  describeMessage,
  describeTransfer,
  tcpExchange,
  transferComplete,
  udpExchange,
} from './dns-compare.js';
import {
  buildQuery,
  clientSoa,
  lookupProbes,
  protocolProbes,
  transferProbes,
  tsigProbes,
  zoneNames,
  type Probe,
} from './dns-probes.js';
import { haveTools } from './tools.js';

// scamnet's RPZ server and BIND 9, primary for the same zone file (renderRpzZoneText of the same
// snapshot), are asked the same generated questions; every answer must be the same: RCODE and
// every header bit, the question, answer, authority and additional sections (order aside, TTLs
// included), the OPT record and the TSIG record (error, and whether its MAC verifies).
// Differences BIND has and scamnet has not on purpose: none in these questions; COOKIEs are off
// in BIND (bind.ts says why).

const KEY_SECRET = Buffer.from('scamnet-differential-tsig-secret-0123').toString('base64');
/** Blocked names shaped to reach the corners: nested entries, deep names, an IDN, a hyphen. */
const DOMAINS = [
  'shop.example.com',
  'example.org',
  'a.b.example.org',
  'deep.sub.domain.example.net',
  'xn--fiq228c.tw',
  'a-b.com.tw',
];

interface Variant {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly key: TsigKeyConfig | undefined;
}

const VARIANTS: readonly Variant[] = [
  { name: 'NXDOMAIN policy, no TSIG key', env: {}, key: undefined },
  {
    name: 'walled garden inside the zone, TTL below the SOA minimum, TSIG key',
    env: {
      RPZ_ACTION: 'walled-garden',
      RPZ_LANDING_HOST: 'landing.rpz.scamnet',
      RPZ_TTL: '30',
      DNS_TSIG_KEY: `xfr-key:${KEY_SECRET}`,
    },
    key: { name: 'xfr-key', algorithm: 'hmac-sha256', secret: Buffer.from(KEY_SECRET, 'base64') },
  },
  { name: 'NODATA policy', env: { RPZ_ACTION: 'nodata' }, key: undefined },
];

/** Asks both servers `probe`; returns the two descriptions. */
async function ask(
  probe: Probe,
  ours: number,
  bind: number,
  key: TsigKeyConfig | undefined,
): Promise<[unknown, unknown]> {
  const now = Math.floor(Date.now() / 1000);
  const check =
    key === undefined ? undefined : { key, priorMac: probe.mac, now, requestTime: probe.time };
  const isTransfer = probe.transport === 'tcp' && /XFR/.test(probe.label);
  const one = async (port: number, waitMs = 1500): Promise<unknown> => {
    if (probe.transport === 'udp') {
      const reply = await udpExchange(port, probe.message, waitMs);
      return reply === undefined ? 'no reply' : describeMessage(reply, check);
    }
    if (isTransfer) {
      const messages = await tcpExchange(port, probe.message, transferComplete);
      return describeTransfer(messages, check);
    }
    const [reply] = await tcpExchange(port, probe.message);
    return reply === undefined ? 'no reply' : describeMessage(reply, check);
  };
  const answers: [unknown, unknown] = [await one(ours), await one(bind)];
  // A UDP answer only one side gave: ask the other once more, with time to spare (a loaded
  // machine, or BIND's rate limit of class CH), before calling it a difference.
  if (probe.transport === 'udp' && (answers[0] === 'no reply') !== (answers[1] === 'no reply')) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    if (answers[0] === 'no reply') answers[0] = await one(ours, 5000);
    else answers[1] = await one(bind, 5000);
  }
  return answers;
}

/** Asks every probe, returns the differences (label, scamnet, BIND), at most `limit`. */
async function differences(
  probes: readonly Probe[],
  ours: number,
  bind: number,
  key: TsigKeyConfig | undefined,
  limit = 40,
): Promise<string[]> {
  const found: string[] = [];
  for (const probe of probes) {
    if (probe.paced === true) await new Promise((resolve) => setTimeout(resolve, 350));
    const [a, b] = await ask(probe, ours, bind, key);
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    found.push(`${probe.label}\n  scamnet: ${JSON.stringify(a)}\n  BIND:    ${JSON.stringify(b)}`);
    if (found.length >= limit) break;
  }
  return found;
}

const ready = haveTools('DNS differential test against BIND', ['named']);

describe.runIf(ready).each(VARIANTS)(
  'scamnet and a BIND primary with the same zone: $name',
  (variant) => {
    let ctx: TestContext | undefined;
    let server: RpzDnsServer | undefined;
    let bind: BindServer | undefined;
    let zone: ZoneSnapshot | undefined;
    let port = 0;

    beforeAll(async () => {
      // TSIG signs with real time (BIND checks it), so the fake clock starts at the real now.
      ctx = await createTestContext('sqlite', {
        env: { DNS_HOST: '127.0.0.1', DNS_PORT: '0', ...variant.env },
        clock: new FakeClock(Date.now()),
      });
      for (const domain of DOMAINS) await block(ctx, domain);
      server = new RpzDnsServer(ctx.deps);
      port = (await server.start({ poll: false })).port;
      zone = await currentZone(ctx.deps);
      bind = await startBindPrimary({
        origin: zone.settings.origin,
        zoneText: renderRpzZoneText(zone.domains, zone.settings, zone.serial),
        serial: zone.serial,
        key:
          variant.key === undefined
            ? undefined
            : { name: variant.key.name, secret: variant.key.secret.toString('base64') },
      });
    }, 60_000);

    afterAll(async () => {
      await bind?.stop();
      await server?.stop();
      await ctx?.close();
    }, 30_000);

    function running(): { zone: ZoneSnapshot; bind: BindServer } {
      if (zone === undefined || bind === undefined) throw new Error('set-up failed');
      return { zone, bind };
    }

    it('answers every name × type as BIND does (exact, wildcard, empty non-terminal, outside)', async () => {
      const { zone, bind } = running();
      const probes = lookupProbes(zoneNames(zone.settings.origin, zone.domains));
      expect(probes.length).toBeGreaterThan(800);
      expect(await differences(probes, port, bind.port, variant.key)).toEqual([]);
    }, 120_000);

    it('answers header flags, EDNS, classes, opcodes and malformed messages as BIND does', async () => {
      const { zone, bind } = running();
      const probes = protocolProbes(zone.settings.origin, zone.domains);
      expect(await differences(probes, port, bind.port, variant.key)).toEqual([]);
    }, 120_000);

    it('answers AXFR and IXFR (every client serial, UDP and TCP, malformed) as BIND does', async () => {
      const { zone, bind } = running();
      const probes = transferProbes(zone.settings.origin, zone.domains[0] ?? 'x', zone.serial);
      // Signed with the key when transfers need one, so they are answered rather than refused.
      const key = variant.key;
      const now = Math.floor(Date.now() / 1000);
      const asked =
        key === undefined
          ? probes
          : probes.map((p) => {
              const signed = signMessage(p.message, key, { time: now });
              return { ...p, message: signed.message, mac: signed.mac, time: now };
            });
      expect(await differences(asked, port, bind.port, key)).toEqual([]);
    }, 120_000);

    it('answers signed, unsigned and wrongly signed requests as BIND does (TSIG, RFC 8945)', async () => {
      const { zone, bind } = running();
      // Without a configured key every signature is one of an unknown key (BADKEY).
      const key: TsigKeyConfig = variant.key ?? {
        name: 'xfr-key',
        algorithm: 'hmac-sha256',
        secret: Buffer.from(KEY_SECRET, 'base64'),
      };
      const now = Math.floor(Date.now() / 1000);
      const probes = tsigProbes(
        zone.settings.origin,
        zone.domains[0] ?? 'x',
        key,
        now,
        zone.serial,
      );
      expect(await differences(probes, port, bind.port, key)).toEqual([]);
    }, 120_000);
  },
);

/** 2106-02-07T06:27:50Z: 16 seconds before the Unix time, and so the serial, passes 2^32. */
const BEFORE_WRAP_MS = (2 ** 32 - 16) * 1000;

describe.runIf(ready)(
  'IXFR from a journal of versions, compared with BIND journalling the same versions (RFC 1995)',
  () => {
    const cases = testDialects().flatMap((dialect) =>
      (
        [
          ['serials of today', Date.now()],
          ['serials that wrap past 2^32 − 1 (RFC 1982)', BEFORE_WRAP_MS],
        ] as const
      ).map(([label, startMs]) => ({ dialect, label, startMs })),
    );
    for (const { dialect, label, startMs } of cases) {
      it(`answers every client serial as BIND does: ${label}, on ${dialect}`, async () => {
        const ctx = await createTestContext(dialect, {
          env: { DNS_HOST: '127.0.0.1', DNS_PORT: '0' },
          clock: new FakeClock(startMs),
        });
        const server = new RpzDnsServer(ctx.deps);
        let bind: BindServer | undefined;
        try {
          for (const domain of ['first.com.tw', 'second.com.tw', 'third.com.tw'])
            await block(ctx, domain);
          const port = (await server.start({ poll: false })).port;
          const origin = ctx.deps.config.blocklist.rpzOrigin;
          /** Our AXFR of the current version: the base an IXFR from its serial applies to. */
          const versions = new Map<number, Set<string>>();
          const snapshotVersion = async (): Promise<number> => {
            await server.refresh({ notify: false });
            const zone = await currentZone(ctx.deps);
            const axfr = axfrContents(
              await tcpExchange(
                port,
                buildQuery({ questions: [{ name: textName(origin), type: 252 }] }),
                transferComplete,
              ),
            );
            expect(axfr.serial).toBe(zone.serial);
            versions.set(zone.serial, axfr.records);
            const text = renderRpzZoneText(zone.domains, zone.settings, zone.serial);
            // When an IXFR is larger than max-ixfr-ratio of the zone (BIND 9.18: 100 %, counted
            // in its own storage bytes) BIND sends the AXFR form instead, as RFC 1995 §4 allows;
            // scamnet's threshold is twice the zone's records. Both end with the same zone, so
            // the comparison turns BIND's size heuristic off.
            if (bind === undefined) {
              bind = await startBindPrimary({
                origin,
                zoneText: text,
                serial: zone.serial,
                options: 'max-ixfr-ratio unlimited;',
              });
            } else await bind.reload(text, zone.serial);
            return zone.serial;
          };
          const entries = async (): Promise<Map<string, string>> =>
            new Map(
              (
                await ctx.deps.db.selectFrom('blocklist_entries').select(['id', 'domain']).execute()
              ).map((e) => [e.domain, e.id]),
            );
          const s1 = await snapshotVersion();
          ctx.clock.advance(10_000);
          await block(ctx, 'fourth.com.tw');
          const s2 = await snapshotVersion();
          ctx.clock.advance(10_000);
          await transitionEntry(
            ctx.deps,
            admin,
            (await entries()).get('first.com.tw') ?? '',
            'lift',
            'court revoked',
          );
          const s3 = await snapshotVersion();
          ctx.clock.advance(10_000);
          await block(ctx, 'fifth.com.tw');
          const s4 = await snapshotVersion();
          const serials = [s1, s2, s3, s4];
          if (startMs === BEFORE_WRAP_MS) {
            // The serial wrapped: a later version has a numerically smaller serial.
            expect(serials.some((s, i) => i > 0 && s < (serials[i - 1] ?? 0))).toBe(true);
          }
          const wrap = (n: number): number => ((n % 2 ** 32) + 2 ** 32) % 2 ** 32;
          const clients = [
            ...serials,
            wrap(s4 + 1),
            wrap(s4 + 2 ** 31 - 1),
            wrap(s4 + 2 ** 31),
            wrap(s1 - 1000),
            wrap(s4 - 2 ** 31 + 1),
          ];
          const current = [...(versions.get(s4) ?? [])].sort();
          const mismatches: string[] = [];
          for (const client of clients) {
            const ixfr = buildQuery({
              questions: [{ name: textName(origin), type: 251 }],
              authorities: [clientSoa(origin, client)],
            });
            const base = versions.get(client);
            const ours = applyTransfer(await tcpExchange(port, ixfr, transferComplete), base);
            const theirs = applyTransfer(
              await tcpExchange(bind?.port ?? 0, ixfr, transferComplete),
              base,
            );
            if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
              mismatches.push(
                `from ${client}: scamnet ${JSON.stringify(ours)}\n  BIND ${JSON.stringify(theirs)}`,
              );
            }
            // Whatever the form, the client ends with the current version.
            expect(ours.serial, `from ${client}`).toBe(s4);
            if (ours.records !== undefined) expect(ours.records, `from ${client}`).toEqual(current);
          }
          expect(mismatches).toEqual([]);
          // Journalled older serials get the difference; ours or newer one SOA; the rest the zone.
          const kinds = await Promise.all(
            clients.map(async (client) => {
              const ixfr = buildQuery({
                questions: [{ name: textName(origin), type: 251 }],
                authorities: [clientSoa(origin, client)],
              });
              return applyTransfer(
                await tcpExchange(port, ixfr, transferComplete),
                versions.get(client),
              ).kind;
            }),
          );
          expect(kinds).toEqual([
            'incremental',
            'incremental',
            'incremental',
            'soa',
            'soa',
            'soa',
            'full',
            'full',
            'full',
          ]);
        } finally {
          await bind?.stop();
          await server.stop();
          await ctx.close();
        }
      }, 120_000);
    }
  },
);
