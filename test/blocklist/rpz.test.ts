import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  nextSerial,
  renderRpzZone,
  renderRpzZoneText,
  type RpzZoneSettings,
} from '../../src/blocklist/index.js';
import { haveTools } from './tools.js';

const GOLDEN = path.join(import.meta.dirname, 'golden');
const base: RpzZoneSettings = {
  origin: 'rpz.scamnet',
  action: { kind: 'nxdomain' },
  ttl: 300,
  nameserver: 'localhost',
  hostmaster: 'hostmaster.rpz.scamnet',
};
// Real 165 DNS-suspended shop domains (strings only; never resolved) and an IDN in punycode.
const domains = ['onlytoppc24.com', 'sharefunpc24.com', 'tobuyersepc24.com', 'xn--fiq228c.tw'];
const settings: Record<string, RpzZoneSettings> = {
  nxdomain: base,
  nodata: { ...base, action: { kind: 'nodata' } },
  'walled-garden': {
    ...base,
    action: { kind: 'walled_garden', landingHost: 'blocked.scamnet.example' },
  },
};

describe('RPZ zone rendering (draft-vixie-dnsop-dns-rpz-00)', () => {
  for (const [name, s] of Object.entries(settings)) {
    it(`matches the golden zone for ${name}`, () => {
      const text = renderRpzZoneText(domains, s, 2026112901);
      expect(text).toBe(readFileSync(path.join(GOLDEN, `rpz-${name}.zone`), 'utf8'));
    });
  }

  it('streams the same bytes in chunks as it renders at once', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `scam-${i}.test`);
    const chunks = [...renderRpzZone(many, base, 7, 100)];
    expect(chunks.length).toBeGreaterThan(50);
    expect(chunks.join('')).toBe(renderRpzZoneText(many, base, 7));
    expect(chunks.join('').match(/CNAME \.$/gm)).toHaveLength(10_000);
  });

  it('serials strictly increase: Unix time when later, else previous + 1', () => {
    const now = Date.parse('2026-11-29T02:00:00Z');
    expect(nextSerial(undefined, now)).toBe(now / 1000);
    expect(nextSerial(now / 1000, now)).toBe(now / 1000 + 1);
    expect(nextSerial(now / 1000 + 5, now)).toBe(now / 1000 + 6);
    expect(nextSerial(100, now)).toBe(now / 1000);
  });

  const bind = haveTools('named-checkzone', ['named-checkzone']);
  it.runIf(bind)('every golden zone passes named-checkzone', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-rpz-'));
    try {
      for (const [name, s] of Object.entries(settings)) {
        const file = path.join(dir, `${name}.zone`);
        writeFileSync(file, renderRpzZoneText(domains, s, 2026112901));
        const result = spawnSync('named-checkzone', ['-i', 'full', s.origin, file], {
          encoding: 'utf8',
        });
        expect(result.stdout + result.stderr, name).toMatch(/loaded serial 2026112901/);
        expect(result.status, result.stdout + result.stderr).toBe(0);
      }
      // The check is real: a broken zone fails it.
      const broken = path.join(dir, 'broken.zone');
      writeFileSync(broken, renderRpzZoneText(['bad..name'], base, 1));
      expect(spawnSync('named-checkzone', [base.origin, broken]).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
