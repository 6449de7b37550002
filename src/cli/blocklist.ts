import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  BLOCKLIST_IMPORT_FORMATS,
  LEGAL_BASES,
  detectBlocklistFormat,
  importEntries,
  readBlocklistFile,
  renderRpzZone,
  storedZone,
  zoneSettings,
  type BlocklistImportFormat,
  type LegalBasisKind,
  type RpzZoneSettings,
} from '../blocklist/index.js';
import { RpzDnsServer } from '../dns/index.js';

import { badRequest } from '../shared/errors.js';
import { reportRejectedRows, withDeps } from './run.js';

import type { Actor } from '../policy/index.js';
interface ImportCommandOptions {
  format?: BlocklistImportFormat;
  source?: string;
  basis?: LegalBasisKind;
  ref?: string;
  date?: string;
  unit?: string;
  siteType?: string;
  expires?: string;
}

/** Today's date in Asia/Taipei (`YYYY-MM-DD`) at `ms`. */
function taipeiDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * `scamnet blocklist import|rpz|dns`:
 * - `import FILE [--format F] [--basis B --ref REF --unit UNIT [--date D]] [--site-type T]
 *   [--source S] [--expires ISO]` loads 165 files or a domain list into blocklist entries
 *   through the protection guard; rows with a legal basis (their own or the command line's)
 *   become `active`, the others `proposed`. Each refused or bad row is printed as `line N: why`
 *   on stderr with the guard's rule; one summary line on stdout; exit 65 when rows were refused.
 * - `rpz [--origin NAME] [--action A] [--landing HOST]` prints the RPZ zone (master file) of the
 *   active entries at the current serial, rendered with the configured or given settings; the
 *   active entries it leaves out (refused by the guard, too long for the origin) are listed on
 *   stderr as `left out DOMAIN (entry ID): rule: why`.
 * - `dns` serves the zone over DNS (SOA, AXFR, IXFR, NOTIFY, TSIG) on DNS_HOST:DNS_PORT until
 *   SIGINT/SIGTERM.
 */
export function registerBlocklistCommand(program: Command): void {
  const blocklist = program
    .command('blocklist')
    .description('blocklist entries, the DNS RPZ zone and its DNS server');

  blocklist
    .command('import')
    .description(
      'import blocklist entries (165 DNS-suspended, fake-investment, 遭停止解析 CSVs, domain list)',
    )
    .argument('<file>', 'the file to import')
    .addOption(
      new Option('--format <format>', 'file format (default: detected)').choices([
        ...BLOCKLIST_IMPORT_FORMATS,
      ]),
    )
    .option('--source <name>', 'source recorded on each entry')
    .addOption(
      new Option('--basis <kind>', 'legal basis: makes rows active').choices([...LEGAL_BASES]),
    )
    .option('--ref <reference>', 'reference number of the ruling or disposition (with --basis)')
    .option('--date <YYYY-MM-DD>', 'date of the ruling or disposition (default: today, Taipei)')
    .option('--unit <unit>', 'requesting unit (聲請單位) (with --basis)')
    .option('--site-type <type>', 'site type (網站性質) for rows that have none')
    .option('--expires <time>', 'ISO 8601 expiry of activated entries')
    .action(async (file: string, options: ImportCommandOptions) => {
      await withDeps(async (deps) => {
        if (!existsSync(file)) throw badRequest('file_not_found', `No file ${file}.`);
        if (
          options.basis !== undefined &&
          (options.ref === undefined || options.unit === undefined)
        ) {
          throw badRequest('legal_basis_incomplete', '--basis needs --ref and --unit.', 'ref');
        }
        const format = options.format ?? (await detectBlocklistFormat(file));
        const source = options.source;
        const actor: Actor = { role: 'admin', id: `import:${source ?? format}` };
        const rows = readBlocklistFile(file, format, {
          source,
          siteType: options.siteType,
          expiresAt: options.expires,
          basis:
            options.basis === undefined
              ? undefined
              : {
                  kind: options.basis,
                  reference: options.ref ?? '',
                  date: options.date ?? taipeiDate(deps.clock.now()),
                  requestingUnit: options.unit ?? '',
                },
        });
        const summary = await importEntries(deps, actor, rows);
        reportRejectedRows(summary.rejected, 'refused');
        process.stdout.write(
          `${file} (${format}): ${summary.activated} active, ${summary.proposed} proposed, ` +
            `${summary.duplicates} already listed, ${summary.rejected.length} refused\n`,
        );
      });
    });

  blocklist
    .command('rpz')
    .description('print the DNS RPZ zone of the active entries (draft-vixie-dnsop-dns-rpz-00)')
    .option('--origin <name>', 'zone name (default RPZ_ORIGIN)')
    .addOption(
      new Option('--action <action>', 'policy action (default RPZ_ACTION)').choices([
        'nxdomain',
        'nodata',
        'walled-garden',
      ]),
    )
    .option('--landing <host>', 'walled-garden landing host (with --action walled-garden)')
    .action(async (options: { origin?: string; action?: string; landing?: string }) => {
      await withDeps(async (deps) => {
        const settings: RpzZoneSettings = { ...zoneSettings(deps.config) };
        const origin = options.origin?.toLowerCase().replace(/\.$/, '') ?? settings.origin;
        if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(origin)) {
          throw badRequest('invalid_origin', `--origin ${origin} is not a DNS name.`, 'origin');
        }
        let action = settings.action;
        if (options.action === 'nxdomain') action = { kind: 'nxdomain' };
        if (options.action === 'nodata') action = { kind: 'nodata' };
        if (options.action === 'walled-garden') {
          if (options.landing === undefined) {
            throw badRequest(
              'landing_required',
              '--action walled-garden needs --landing HOST.',
              'landing',
            );
          }
          action = { kind: 'walled_garden', landingHost: options.landing.replace(/\.$/, '') };
        }
        const hostmaster =
          options.origin === undefined ? settings.hostmaster : `hostmaster.${origin}`;
        const zone = await storedZone(deps, origin);
        // Entries the zone leaves out go to stderr (stdout is the zone file), one line each.
        for (const o of zone.omitted) {
          process.stderr.write(`left out ${o.domain} (entry ${o.entryId}): ${o.message}\n`);
        }
        if (zone.omitted.length > 0) {
          process.stderr.write(
            `${zone.omitted.length} active entries left out of ${origin}; lift them or fix the rules\n`,
          );
        }
        for (const chunk of renderRpzZone(
          zone.domains,
          { ...settings, origin, action, hostmaster },
          Math.max(zone.serial, 1),
        )) {
          if (!process.stdout.write(chunk)) {
            await new Promise((resolve) => process.stdout.once('drain', resolve));
          }
        }
      });
    });

  blocklist
    .command('dns')
    .description('serve the RPZ zone over DNS (SOA, AXFR, IXFR, NOTIFY, TSIG) on DNS_HOST:DNS_PORT')
    .action(async () => {
      await withDeps(async (deps) => {
        const server = new RpzDnsServer(deps);
        const address = await server.start();
        process.stderr.write(
          `scamnet: serving ${deps.config.blocklist.rpzOrigin} serial ${server.serial} on ${address.host}:${address.port} (UDP and TCP)\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.stop();
      });
    });
}
