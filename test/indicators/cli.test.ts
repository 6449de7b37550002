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

  it('url canonicalize / domain: WHATWG IPv4 spellings, refused hosts, IPv6, doubled schemes (issue 19)', async () => {
    const canonical = await run(
      ['url', 'canonicalize'],
      [
        'http://0x0000078.0000000000220.171.205/',
        'http://4294967296/',
        'http://255.255.65536/',
        'http://[2001:DB8:0::1]/',
        'http://http://t.cn/XXXXXXX',
        'https://t\u{E0041}.cn/\u034fA',
      ].map((line) => JSON.stringify(line)),
    );
    expect(canonical.stdout.map((line): unknown => JSON.parse(line))).toEqual([
      'http://120.144.171.205/',
      null,
      null,
      'http://[2001:db8::1]/',
      'http://t.cn/XXXXXXX',
      'https://t.cn/A',
    ]);
    const domains = await run(
      ['url', 'domain'],
      [
        JSON.stringify('某店家.com.tw,某店家也已經出面回應這是假訊息'),
        JSON.stringify('http://255.255.65536/'),
      ],
    );
    expect(domains.stdout.map((line): unknown => JSON.parse(line))).toEqual([null, null]);
  });

  it('indicators extract: ip, glued links, default-ignorable characters, --region (issue 19)', async () => {
    const tw = await run(
      ['indicators', 'extract'],
      [
        JSON.stringify('連線 203.0.113[.]45，或 https://t.cn/AAAAAAAhttp://t.cn/BBBBBBB'),
        JSON.stringify('撥 009-886-912345678 或 09\u{E0031}12-345-678'),
        JSON.stringify('513000001 513000002'),
      ],
    );
    expect(
      tw.stdout.map((line) => {
        const parsed: unknown = JSON.parse(line);
        return Array.isArray(parsed)
          ? parsed.map((i: { type: string; value: string }) => `${i.type} ${i.value}`)
          : parsed;
      }),
    ).toEqual([
      ['ip 203.0.113.45', 'url https://t.cn/AAAAAAA', 'url http://t.cn/BBBBBBB'],
      ['phone +886912345678'],
      [],
    ]);
    const pl = await run(
      ['indicators', 'extract', '--region', 'pl'],
      [JSON.stringify('513000001 513000002')],
    );
    expect(pl.status).toBe(0);
    expect(JSON.parse(pl.stdout[0] ?? 'null')).toEqual([
      { type: 'phone', value: '+48513000001', raw: '513000001' },
      { type: 'phone', value: '+48513000002', raw: '513000002' },
    ]);
    const bad = await run(['indicators', 'extract', '--region', 'XX'], [JSON.stringify('x')]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--region');
    expect(bad.stdout).toEqual([]);
  });
});
