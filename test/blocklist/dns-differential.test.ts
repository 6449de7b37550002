import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activateEntry,
  currentZone,
  proposeEntry,
  renderRpzZoneText,
  type ZoneSnapshot,
} from '../../src/blocklist/index.js';
import type { TsigKeyConfig } from '../../src/config/index.js';
import { RpzDnsServer, signMessage } from '../../src/dns/index.js';
import type { Actor } from '../../src/identity/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { createTestContext, type TestContext } from '../harness.js';
import { startBindPrimary, type BindServer } from './bind.js';
import {
  describeMessage,
  describeTransfer,
  tcpExchange,
  transferComplete,
  udpExchange,
} from './dns-compare.js';
import {
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

const admin: Actor = { role: 'admin', id: 'admin:token' };
const KEY_SECRET = Buffer.from('scamnet-differential-tsig-secret-0123').toString('base64');
/** Blocked names shaped to reach the corners: nested entries, deep names, an IDN, a hyphen. */
const DOMAINS = [
  'shop.example.com',
  'example.org',
  'a.b.example.org',
  'deep.sub.domain.example.net',
  'xn--fiq228c.tw',
  'a-b.test',
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

async function block(ctx: TestContext, domain: string): Promise<void> {
  const entry = await proposeEntry(ctx.deps, admin, {
    domain,
    legalBasis: { kind: 'court_ruling', reference: 'R-1', date: '2026-11-20' },
    requestingUnit: 'unit',
  });
  await activateEntry(ctx.deps, admin, entry.id, {});
}

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
  const one = async (port: number): Promise<unknown> => {
    if (probe.transport === 'udp') {
      const reply = await udpExchange(port, probe.message);
      return reply === undefined ? 'no reply' : describeMessage(reply, check);
    }
    if (isTransfer) {
      const messages = await tcpExchange(port, probe.message, transferComplete);
      return describeTransfer(messages, check);
    }
    const [reply] = await tcpExchange(port, probe.message);
    return reply === undefined ? 'no reply' : describeMessage(reply, check);
  };
  return [await one(ours), await one(bind)];
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
