import { describe, expect, it } from 'vitest';
import { scamnet } from '../cli.js';

/** A stdin line given as it is, not as JSON: a malformed one. */
class RawLine {
  constructor(readonly line: string) {}
}

/**
 * Runs `scamnet …args` with `inputs` on stdin, one a line, each as JSON (a RawLine as it is).
 * @returns its output lines (`stdout`) and each of them parsed as JSON (`outputs`).
 */
async function run(
  args: string[],
  inputs: unknown[],
): Promise<{ stdout: string[]; outputs: unknown[]; stderr: string; status: number }> {
  const lines = inputs.map((input) =>
    input instanceof RawLine ? input.line : JSON.stringify(input),
  );
  const result = await scamnet(args, {}, lines.map((line) => `${line}\n`).join(''));
  const stdout = result.stdout.split('\n').filter((line) => line !== '');
  return {
    stdout,
    outputs: stdout.map((line): unknown => JSON.parse(line)),
    stderr: result.stderr,
    status: result.code,
  };
}

describe('scamnet url / indicators (JSON Lines CLI)', () => {
  it('url canonicalize: one canonical URL or null per line, malformed lines → null + stderr', async () => {
    const result = await run(
      ['url', 'canonicalize'],
      [
        'http://www.GOOgle.com/blah/..#frag',
        'not a url',
        new RawLine('this is not JSON'),
        42,
        'www.google.com',
      ],
    );
    expect(result.status).toBe(0);
    expect(result.outputs).toEqual([
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
      ['https://a.b.example.co.uk/x', '食狮.公司.cn', 'com'],
    );
    expect(result.outputs).toEqual(['example.co.uk', '食狮.公司.cn', null]);
  });

  it('url expressions: array of expressions', async () => {
    const result = await run(['url', 'expressions'], ['http://1.2.3.4/1/']);
    const [first] = result.outputs;
    expect(new Set(Array.isArray(first) ? first : [])).toEqual(new Set(['1.2.3.4/1/', '1.2.3.4/']));
  });

  it('indicators extract: array of {type, value, raw} per message', async () => {
    const result = await run(
      ['indicators', 'extract'],
      ['請點擊https://x.com/a，立即加LINE：@abc123', 'nothing here', new RawLine('{')],
    );
    expect(result.outputs).toEqual([
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
      ],
    );
    expect(canonical.outputs).toEqual([
      'http://120.144.171.205/',
      null,
      null,
      'http://[2001:db8::1]/',
      'http://t.cn/XXXXXXX',
      'https://t.cn/A',
    ]);
    const domains = await run(
      ['url', 'domain'],
      ['某店家.com.tw,某店家也已經出面回應這是假訊息', 'http://255.255.65536/'],
    );
    expect(domains.outputs).toEqual([null, null]);
  });

  it('indicators extract: ip, glued links, default-ignorable characters, --region (issue 19)', async () => {
    const tw = await run(
      ['indicators', 'extract'],
      [
        '連線 203.0.113[.]45，或 https://t.cn/AAAAAAAhttp://t.cn/BBBBBBB',
        '撥 009-886-912345678 或 09\u{E0031}12-345-678',
        '513000001 513000002',
      ],
    );
    expect(
      tw.outputs.map((parsed) =>
        Array.isArray(parsed)
          ? parsed.map((i: { type: string; value: string }) => `${i.type} ${i.value}`)
          : parsed,
      ),
    ).toEqual([
      ['ip 203.0.113.45', 'url https://t.cn/AAAAAAA', 'url http://t.cn/BBBBBBB'],
      ['phone +886912345678'],
      [],
    ]);
    const pl = await run(['indicators', 'extract', '--region', 'pl'], ['513000001 513000002']);
    expect(pl.status).toBe(0);
    expect(pl.outputs).toEqual([
      [
        { type: 'phone', value: '+48513000001', raw: '513000001' },
        { type: 'phone', value: '+48513000002', raw: '513000002' },
      ],
    ]);
    const bad = await run(['indicators', 'extract', '--region', 'XX'], ['x']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--region');
    expect(bad.stdout).toEqual([]);
  });
});
