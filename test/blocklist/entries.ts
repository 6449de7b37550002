/**
 * The blocklist entries of the DNS tests: who acts on them and on what basis, `block`, which
 * makes a domain's entry active, and `useRpzServer`, scamnet's DNS server over such entries.
 */
import { afterEach } from 'vitest';
import {
  activateEntry,
  proposeEntry,
  type BlocklistEntry,
  type LegalBasis,
} from '../../src/blocklist/index.js';
import type { Actor } from '../../src/policy/index.js';
import { RpzDnsServer } from '../../src/dns/index.js';
import type { FakeClock } from '../../src/shared/clock.js';
import { createTestContext, type TestContext } from '../harness.js';

/** The admin token, who proposes, activates and lifts the entries. */
export const admin: Actor = { role: 'admin', id: 'admin:token' };
/** A court ruling: the legal basis of an entry unless a test names another. */
export const basis = {
  kind: 'court_ruling',
  reference: '113年度聲字第123號',
  date: '2026-11-20',
} as const;
/** An administrative disposition (of the Ministry of Digital Affairs): the other common basis. */
export const DISPOSITION = {
  kind: 'administrative_disposition',
  reference: '數授產字第1150000001號',
  date: '2026-11-20',
} as const;
/** The unit that asks for the block. */
export const UNIT = '刑事警察局詐欺犯罪防制中心';

/** `domain`'s entry proposed on `legalBasis` for `requestingUnit` and activated: it is served. */
export async function block(
  ctx: TestContext,
  domain: string,
  legalBasis: LegalBasis = basis,
  requestingUnit = 'unit',
): Promise<BlocklistEntry> {
  const entry = await proposeEntry(ctx.deps, admin, { domain, legalBasis, requestingUnit });
  return activateEntry(ctx.deps, admin, entry.id, {});
}

/**
 * scamnet's RPZ DNS server on a free loopback port over a fresh SQLite store in which `domains`
 * are blocked, for a test that calls `start` (with more environment, and a clock); stopped and
 * its store closed after the test.
 */
export function useRpzServer(domains: readonly string[]) {
  let ctx: TestContext | undefined;
  let server: RpzDnsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    await ctx?.close();
    server = undefined;
    ctx = undefined;
  });
  return {
    /** The server of the running test, if it started one. */
    get server(): RpzDnsServer | undefined {
      return server;
    },
    async start(
      env: Record<string, string> = {},
      clock?: FakeClock,
    ): Promise<{ c: TestContext; server: RpzDnsServer; port: number }> {
      const c = await createTestContext('sqlite', {
        env: { DNS_HOST: '127.0.0.1', DNS_PORT: '0', ...env },
        ...(clock === undefined ? {} : { clock }),
      });
      ctx = c;
      for (const domain of domains) await block(c, domain);
      const started = new RpzDnsServer(c.deps);
      server = started;
      const { port } = await started.start({ poll: false });
      return { c, server: started, port };
    },
  };
}
