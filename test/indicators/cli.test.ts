import { describe, expect, it } from 'vitest';
import { scamnet } from '../cli.js';

/** Runs `scamnet …args` with `lines` on stdin; its output split into lines. */
async function run(
  args: string[],
  lines: string[],
): Promise<{ stdout: string[]; stderr: string; status: number }> {
  const result = await scamnet(args, {}, lines.map((line) => `${line}\n`).join(''));
  return {
    stdout: result.stdout.split('\n').filter((line) => line !== ''),
    stderr: result.stderr,
    status: result.code,
  };
}

describe('scamnet url / indicators (JSON Lines CLI)', () => {
  it('url canonicalize: one canonical URL or null per line, malformed lines → null + stderr', async () => {
    const result = await run(
      ['url', 'canonicalize'],
      [
        JSON.stringify('http://www.GOOgle.com/blah/..#frag'),
        JSON.stringify('not a url'),
        'this is not JSON',
        JSON.stringify(42),
        JSON.stringify('www.google.com'),
      ],
    );
    expect(result.status).toBe(0);
    expect(result.stdout.map((line): unknown => JSON.parse(line))).toEqual([
      'http://www.google.com/',
      null,
      null,
      null,
      'http://www.google.com/',
    ]);
    expect(result.stderr).toContain('line 3');
    expect(result.stderr).toContain('line 4');
  });

  it('url domain: registrable domain or null', async () => {
    const result = await run(
      ['url', 'domain'],
      [
        JSON.stringify('https://a.b.example.co.uk/x'),
        JSON.stringify('食狮.公司.cn'),
        JSON.stringify('com'),
      ],
    );
    expect(result.stdout.map((line): unknown => JSON.parse(line))).toEqual([
      'example.co.uk',
      '食狮.公司.cn',
      null,
    ]);
  });

  it('url expressions: array of expressions', async () => {
    const result = await run(['url', 'expressions'], [JSON.stringify('http://1.2.3.4/1/')]);
    const [first] = result.stdout.map((line): unknown => JSON.parse(line));
    expect(new Set(Array.isArray(first) ? first : [])).toEqual(new Set(['1.2.3.4/1/', '1.2.3.4/']));
  });

  it('indicators extract: array of {type, value, raw} per message', async () => {
    const result = await run(
      ['indicators', 'extract'],
      [
        JSON.stringify('請點擊https://x.com/a，立即加LINE：@abc123'),
        JSON.stringify('nothing here'),
        '{',
      ],
    );
    expect(result.stdout.map((line): unknown => JSON.parse(line))).toEqual([
      [
        { type: 'url', value: 'https://x.com/a', raw: 'https://x.com/a' },
        { type: 'line_id', value: '@abc123', raw: '@abc123' },
      ],
      [],
      null,
    ]);
    expect(result.stderr).toContain('line 3');
  });
});
