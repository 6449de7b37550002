import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.js';

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
