import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCliConfig, loadConfig, parseDatabaseUrl } from './config.js';

describe('parseDatabaseUrl', () => {
  it('defaults to ./var/scamnet.db and accepts sqlite:, file: and postgres URLs', () => {
    expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({
      dialect: 'sqlite',
      path: '/srv/app/var/scamnet.db',
    });
    expect(parseDatabaseUrl('sqlite:/data/x.db', '/srv')).toEqual({
      dialect: 'sqlite',
      path: '/data/x.db',
    });
    expect(parseDatabaseUrl('file:/data/y.db', '/srv')).toEqual({
      dialect: 'sqlite',
      path: '/data/y.db',
    });
    expect(parseDatabaseUrl('sqlite:rel/z.db', '/srv')).toEqual({
      dialect: 'sqlite',
      path: path.resolve('/srv', 'rel/z.db'),
    });
    expect(parseDatabaseUrl('postgres://u@h/db', '/')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u@h/db',
    });
    expect(parseDatabaseUrl('mysql://u@h/db', '/')).toMatch(/DATABASE_URL/);
  });
});

describe('loadConfig', () => {
  it('has documented defaults and is frozen', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 8080,
      host: 'localhost',
      demoData: true,
      defaultRegion: 'TW',
      bodyLimitBytes: 65_536,
    });
    expect(config.adminToken).toBeUndefined();
    expect(config.blocklist.feedRevocationDays).toBe(30);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('FEED_REVOCATION_DAYS: whole days from 1 to 3650', () => {
    expect(loadConfig({ FEED_REVOCATION_DAYS: '90' }, '/').blocklist.feedRevocationDays).toBe(90);
    for (const value of ['0', '3651', 'soon']) {
      expect(() => loadConfig({ FEED_REVOCATION_DAYS: value }, '/')).toThrow(
        /FEED_REVOCATION_DAYS/,
      );
    }
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig(
        {
          PORT: '99999',
          ADMIN_TOKEN: 'short',
          DEMO_DATA: 'maybe',
          DEFAULT_REGION: 'XX',
          LOG_LEVEL: 'loud',
        },
        '/',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = error instanceof ConfigError ? error.problems.join('\n') : '';
    for (const name of ['PORT', 'ADMIN_TOKEN', 'DEMO_DATA', 'DEFAULT_REGION', 'LOG_LEVEL']) {
      expect(problems).toContain(name);
    }
  });
});

describe('the config object', () => {
  /** Every object and array reachable from `value`, with its path; Buffers (unfreezable) left out. */
  function objectsIn(value: unknown, at = 'config'): [string, object][] {
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return [];
    return [
      [at, value],
      ...Object.entries(value).flatMap(([key, inner]) => objectsIn(inner, `${at}.${key}`)),
    ];
  }

  it('is deep-frozen: nested objects and arrays too', () => {
    const config = loadConfig(
      {
        RPZ_ACTION: 'walled-garden',
        RPZ_LANDING_HOST: 'blocked.example.org',
        DNS_NOTIFY: '192.0.2.1:53,[2001:db8::1]:5353',
        DNS_TSIG_KEY: `xfr.example:${Buffer.alloc(32, 1).toString('base64')}`,
        SANCTION_SCHEDULE:
          '[{"fromOccurrence":1,"fineMin":1,"fineMax":2,"currency":"TWD","legalBasis":"Art. 1"}]',
        BLOCKLIST_PROTECTED_DOMAINS: 'example.org',
      },
      '/srv/app',
    );
    const objects = objectsIn(config);
    const paths = objects.map(([at]) => at);
    for (const nested of [
      'config.dns.notify.1',
      'config.dns.tsigKey',
      'config.blocklist.rpzAction',
      'config.workflow.sanctionSchedule.0',
      'config.workflow.xarfReporter',
      'config.evidence.captureAllowedPorts',
      'config.statistics',
      'config.store',
    ]) {
      expect(paths).toContain(nested);
    }
    expect(objects.filter(([, object]) => !Object.isFrozen(object)).map(([at]) => at)).toEqual([]);
    expect(Reflect.set(config.workflow.xarfReporter, 'org', 'changed')).toBe(false);
    expect(() =>
      Reflect.apply(Array.prototype.push, config.evidence.captureAllowedPorts, [8080]),
    ).toThrow(TypeError);
    expect(config.workflow.xarfReporter.org).toBe('scamnet');
  });

  it('loadCliConfig logs at warn unless LOG_LEVEL says otherwise', () => {
    expect(loadCliConfig({}, '/').logLevel).toBe('warn');
    expect(loadCliConfig({ LOG_LEVEL: 'debug' }, '/').logLevel).toBe('debug');
    expect(loadConfig({}, '/').logLevel).toBe('info');
  });

  it('does not echo secrets in problems', () => {
    const secret = 'hunter2-but-too-short';
    let problems = '';
    try {
      loadConfig(
        { ADMIN_TOKEN: secret, DECISION_LINK_SECRET: secret, SMTP_URL: `x${secret}` },
        '/',
      );
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems.join('\n');
    }
    expect(problems).toMatch(/ADMIN_TOKEN[\s\S]*SMTP_URL[\s\S]*DECISION_LINK_SECRET/);
    expect(problems).not.toContain(secret);
  });
});
