import type { TsigKeyConfig } from '../../src/config/index.js';
import {
  appendTsig,
  signMessage,
  MessageWriter,
  RR_TYPE,
  textName,
  type OutOpt,
  type OutRecord,
  type WireName,
} from '../../src/dns/index.js';

// The questions the differential test asks scamnet's server and BIND: generated from the zone's
// own names (apex, blocked names, their wildcards, names under them, empty non-terminals, names
// outside the zone) crossed with record types, then header flags, EDNS, classes, opcodes,
// malformed messages, transfers and TSIG. Deterministic: the only randomness is a seeded PRNG.

/** One question to ask both servers. */
export interface Probe {
  readonly label: string;
  readonly message: Buffer;
  readonly transport: 'udp' | 'tcp';
  /** The request's TSIG MAC and time, when signed (to check the reply's TSIG). */
  readonly mac?: Buffer;
  readonly time?: number;
  /**
   * Asked at most 3 times a second: BIND answers class CH from its built-in `_bind` view, which
   * rate-limits its responses to 3 a second (no slip) against reflection attacks.
   */
  readonly paced?: boolean;
}

import { seededRandom } from '../seeded-random.js';

/** What a query is made of. */
export interface QuerySpec {
  readonly id?: number;
  /** Header flags word, opcode included (QR, AA, TC, RD, RA, Z, AD, CD, RCODE bits as given). */
  readonly flags?: number;
  readonly questions?: readonly { name: WireName; type: number; class?: number }[];
  readonly answers?: readonly OutRecord[];
  readonly authorities?: readonly OutRecord[];
  readonly additionals?: readonly OutRecord[];
  readonly opt?: OutOpt;
}

/** Builds the query of `spec` (OPT after the other additional records). */
export function buildQuery(spec: QuerySpec): Buffer {
  const writer = new MessageWriter(spec.id ?? 0x5ca7, spec.flags ?? 0);
  for (const q of spec.questions ?? []) {
    writer.question({ name: q.name, type: q.type, class: q.class ?? 1 });
  }
  for (const r of spec.answers ?? []) writer.record('answer', r);
  for (const r of spec.authorities ?? []) writer.record('authority', r);
  for (const r of spec.additionals ?? []) writer.record('additional', r);
  if (spec.opt !== undefined) writer.opt(spec.opt);
  return writer.finish();
}

/** An EDNS(0) OPT with `udpSize` and the given options (hex data). */
export function opt(
  options: readonly [number, string][] = [],
  fields: Partial<Omit<OutOpt, 'options'>> = {},
): OutOpt {
  return {
    udpSize: fields.udpSize ?? 4096,
    extendedRcode: fields.extendedRcode ?? 0,
    version: fields.version ?? 0,
    flags: fields.flags ?? 0,
    options: options.map(([code, hex]) => ({ code, data: Buffer.from(hex, 'hex') })),
  };
}

/** An SOA record of `zone` at `serial` (as an IXFR query's authority section carries it). */
export function clientSoa(zone: string, serial: number): OutRecord {
  return {
    name: textName(zone),
    type: RR_TYPE.SOA,
    class: 1,
    ttl: 0,
    data: {
      kind: 'soa',
      soa: { mname: [], rname: [], serial, refresh: 0, retry: 0, expire: 0, minimum: 0 },
    },
  };
}

/** A record of `type` with raw RDATA. */
function raw(name: string, type: number, hex = '', klass = 1): OutRecord {
  return {
    name: textName(name),
    type,
    class: klass,
    ttl: 0,
    data: { kind: 'raw', bytes: Buffer.from(hex, 'hex') },
  };
}

/** Flips the case of letters of `name` at random. */
function mangleCase(name: WireName, random: () => number): Buffer[] {
  return name.map((label) =>
    Buffer.from(
      label.map((octet) => {
        const letter = (octet >= 0x41 && octet <= 0x5a) || (octet >= 0x61 && octet <= 0x7a);
        return letter && random() < 0.5 ? octet ^ 0x20 : octet;
      }),
    ),
  );
}

/** Record types asked for at every name: data, meta, DNSSEC, unknown and private ones. */
const TYPES = [
  1, 2, 5, 6, 12, 13, 15, 16, 25, 28, 43, 46, 47, 50, 0, 128, 65280, 255, 254, 253, 41, 250, 249,
];

/** The names to ask about, from the zone's origin and blocked domains. */
export function zoneNames(
  origin: string,
  domains: readonly string[],
  seed = 1,
): { label: string; name: WireName }[] {
  const random = seededRandom(seed);
  const names = new Map<string, WireName>();
  const add = (text: string): void => {
    names.set(text, textName(text));
  };
  add(origin);
  add(`nx.${origin}`);
  add(`*.${origin}`);
  add(`x.*.${origin}`);
  for (const domain of domains) {
    for (const form of [
      domain,
      `*.${domain}`,
      `x.${domain}`,
      `a.b.${domain}`,
      `foo.*.${domain}`,
      `*.*.${domain}`,
    ]) {
      add(`${form}.${origin}`);
    }
    const labels = domain.split('.');
    for (let i = 1; i < labels.length; i += 1) {
      const ancestor = labels.slice(i).join('.');
      add(`${ancestor}.${origin}`);
      add(`nx-${i}.${ancestor}.${origin}`);
      add(`*.${ancestor}.${origin}`);
    }
  }
  // Outside the zone: its parent, the root, a sibling sharing a suffix of the label, another zone.
  const parent = origin.split('.').slice(1).join('.');
  if (parent !== '') add(parent);
  add('.');
  add(`x${origin}`);
  add('example.net');
  const list = [...names].map(([label, name]) => ({ label, name }));
  // Other spellings of the same names: mixed case, and labels holding a dot, NUL or a high octet.
  const first = domains[0] ?? 'x';
  for (const { label, name } of list.slice(0, 12)) {
    list.push({ label: `case(${label})`, name: mangleCase(name, random) });
  }
  for (const [text, octets] of [
    ['dot-in-label', Buffer.from('a.b')],
    ['nul-in-label', Buffer.from([0x61, 0x00, 0x62])],
    ['high-octet', Buffer.from([0xc4, 0x41])],
  ] as const) {
    list.push({
      label: `${text} under ${first}`,
      name: [octets, ...textName(`${first}.${origin}`)],
    });
    list.push({ label: `${text} as a sibling`, name: [octets, ...textName(origin)] });
  }
  return list;
}

/** Every name × every type, plain UDP queries without EDNS. */
export function lookupProbes(names: readonly { label: string; name: WireName }[]): Probe[] {
  return names.flatMap(({ label, name }) =>
    TYPES.map((type) => ({
      label: `${label} type ${type}`,
      message: buildQuery({ questions: [{ name, type }] }),
      transport: 'udp' as const,
    })),
  );
}

/** Header flags, EDNS, classes, opcodes and malformed messages, over a sample of the names. */
export function protocolProbes(origin: string, domains: readonly string[], seed = 2): Probe[] {
  const random = seededRandom(seed);
  const blocked = domains[0] ?? 'x';
  const sample = [
    origin,
    `${blocked}.${origin}`,
    `x.${blocked}.${origin}`,
    `nx.${origin}`,
    'example.net',
  ];
  const probes: Probe[] = [];
  const add = (label: string, spec: QuerySpec, transport: 'udp' | 'tcp' = 'udp'): void => {
    const paced = (spec.questions ?? []).some((q) => q.class === 3);
    probes.push({ label, message: buildQuery(spec), transport, paced });
  };
  const q = (
    text: string,
    type = 6,
    klass = 1,
  ): { name: WireName; type: number; class: number } => ({
    name: textName(text),
    type,
    class: klass,
  });
  // Header bits a query may carry (RD and CD are echoed, the others cleared or ignored).
  const headerBits: [string, number][] = [
    ['rd', 0x100],
    ['cd', 0x10],
    ['ad', 0x20],
    ['z', 0x40],
    ['tc', 0x200],
    ['aa', 0x400],
    ['ra', 0x80],
    ['rcode 3', 3],
    ['rd cd ad', 0x130],
  ];
  for (const name of sample) {
    for (const type of [6, 1, 2, 5, 255]) {
      for (const [bits, flags] of headerBits)
        add(`${name} ${type} with ${bits}`, { flags, questions: [q(name, type)] });
    }
  }
  // EDNS(0): sizes, DO, versions, options well and badly formed, misplaced OPT records.
  const ednsCases: [string, OutOpt | undefined, QuerySpec?][] = [
    ['edns 4096', opt()],
    ['edns 1232', opt([], { udpSize: 1232 })],
    ['edns 513', opt([], { udpSize: 513 })],
    ['edns 512', opt([], { udpSize: 512 })],
    ['edns 100', opt([], { udpSize: 100 })],
    ['edns 0', opt([], { udpSize: 0 })],
    ['edns do', opt([], { flags: 0x8000 })],
    ['edns z flags', opt([], { flags: 0x7fff })],
    ['edns do+z', opt([], { flags: 0xffff })],
    ['edns extended rcode', opt([], { extendedRcode: 5 })],
    ['edns version 1', opt([], { version: 1 })],
    ['edns version 255 do', opt([], { version: 255, flags: 0x8000 })],
    ['ecs v4', opt([[8, '00011800c00002']])],
    ['ecs v6', opt([[8, '00023000200100000000']])],
    ['ecs source 0', opt([[8, '00010000']])],
    ['ecs family 0', opt([[8, '00000000']])],
    ['ecs family 0 with source', opt([[8, '00000800']])],
    [
      'ecs twice',
      opt([
        [8, '00011800c00002'],
        [8, '00010000'],
      ]),
    ],
    ['ecs scope in query', opt([[8, '00011810c00002']])],
    ['ecs scope over prefix', opt([[8, '00011820c00002']])],
    ['ecs bits past prefix', opt([[8, '00011700c00003']])],
    ['ecs family 3', opt([[8, '00031800c00002']])],
    ['ecs prefix 33', opt([[8, '00012100c0000201']])],
    ['ecs address short', opt([[8, '00011800c000']])],
    ['ecs too short', opt([[8, '0001']])],
    ['expire', opt([[9, '']])],
    ['expire with data', opt([[9, '00000001']])],
    ['expire bad length', opt([[9, '0001']])],
    ['cookie client', opt([[10, '0102030405060708']])],
    ['cookie client+server', opt([[10, '01020304050607080102030405060708']])],
    ['cookie bad length', opt([[10, '0102']])],
    ['nsid', opt([[3, '']])],
    ['keepalive', opt([[11, '']])],
    ['padding', opt([[12, '0000']])],
    ['key-tag', opt([[14, '0001']])],
    ['key-tag odd', opt([[14, '000100']])],
    ['key-tag empty', opt([[14, '']])],
    ['client-tag', opt([[16, '0001']])],
    ['client-tag bad', opt([[16, '01']])],
    ['unknown option', opt([[65001, 'abcd']])],
    ['two OPT', opt(), { additionals: [raw('.', 41, '', 4096)] }],
    ['OPT not owned by the root', undefined, { additionals: [raw('x', 41, '', 4096)] }],
    ['OPT in the answer section', undefined, { answers: [raw('.', 41, '', 4096)] }],
    ['OPT in the authority section', undefined, { authorities: [raw('.', 41, '', 4096)] }],
    ['truncated option', undefined, { additionals: [raw('.', 41, '000a00', 4096)] }],
  ];
  for (const [label, o, extra] of ednsCases) {
    for (const name of [origin, `${blocked}.${origin}`, `nx.${origin}`, 'example.net']) {
      for (const type of [6, 1])
        add(`${label} ${name} ${type}`, { ...extra, questions: [q(name, type)], opt: o });
    }
  }
  // Classes: IN, CH, HS, meta and unknown ones, with ordinary and meta types.
  // Class CH is asked less (BIND rate-limits it, so those questions are paced).
  for (const klass of [0, 2, 3, 4, 9, 253, 254, 255, 256, 65535]) {
    const names =
      klass === 3
        ? [origin, 'example.net']
        : [origin, `${blocked}.${origin}`, 'example.net', 'version.invalid'];
    for (const name of names) {
      for (const type of klass === 3 ? [6, 41, 254, 252, 251] : [6, 1, 41, 254, 252, 251]) {
        add(`class ${klass} ${name} ${type}`, {
          questions: [q(name, type, klass)],
          ...(type === 251 ? { authorities: [{ ...clientSoa(name, 1), class: klass }] } : {}),
        });
      }
    }
  }
  // Opcodes: IQUERY, STATUS, unassigned, NOTIFY and UPDATE to the zone and elsewhere.
  for (const opcode of [1, 2, 3, 4, 5, 6, 7, 15]) {
    for (const [name, type] of [
      [origin, 6],
      [origin, 2],
      [`${blocked}.${origin}`, 6],
      ['example.net', 6],
    ] as const) {
      add(`opcode ${opcode} ${name} ${type}`, { flags: opcode << 11, questions: [q(name, type)] });
      add(`opcode ${opcode} ${name} ${type} aa rd edns`, {
        flags: (opcode << 11) | 0x500,
        questions: [q(name, type)],
        opt: opt(),
      });
    }
    add(`opcode ${opcode} no question`, { flags: opcode << 11 });
    add(`opcode ${opcode} two questions`, {
      flags: opcode << 11,
      questions: [q(origin), q(origin, 2)],
    });
    add(`opcode ${opcode} edns version 1`, {
      flags: opcode << 11,
      questions: [q(origin)],
      opt: opt([], { version: 1 }),
    });
  }
  // Question counts and sections a query should not carry.
  add('no question', {});
  add('no question, edns', { opt: opt() });
  add('two questions', { questions: [q(origin), q(origin, 2)] });
  add('two questions of two classes', { questions: [q(origin), q(origin, 6, 3)] });
  add('two questions, edns version 1', {
    questions: [q(origin), q(origin, 2)],
    opt: opt([], { version: 1 }),
  });
  add('an answer in a query', {
    questions: [q(origin)],
    answers: [raw(`x.${origin}`, 1, '01020304')],
  });
  add('an authority record in a query', {
    questions: [q(origin)],
    authorities: [raw(`x.${origin}`, 1, '01020304')],
  });
  // Malformed messages.
  const header = (flags: number, qd: number, an = 0, ns = 0, ar = 0): string =>
    `5ca7${flags.toString(16).padStart(4, '0')}${[qd, an, ns, ar].map((n) => n.toString(16).padStart(4, '0')).join('')}`;
  const malformed: [string, string][] = [
    ['shorter than a header', '5ca70000'],
    ['header only, one question', header(0, 1)],
    ['truncated question', `${header(0, 1)}03727a`],
    ['truncated question, rd notify', `${header(0x2100, 1)}03727a`],
    ['truncated question, status', `${header(0x1000, 1)}03727a`],
    ['bad label type', `${header(0, 1)}400000060001`],
    ['pointer loop', `${header(0, 1)}c00c00060001`],
    ['pointer forward', `${header(0, 1)}c01000060001000000`],
    ['name over 255 octets', `${header(0, 1)}${'3f'.concat('61'.repeat(63)).repeat(4)}0000060001`],
    [
      'trailing octets',
      `${header(0, 1)}${Buffer.from(buildQuery({ questions: [q(origin)] }).subarray(12)).toString('hex')}ffff`,
    ],
    [
      'answer count past the end',
      `${header(0, 1, 1)}${Buffer.from(buildQuery({ questions: [q(origin)] }).subarray(12)).toString('hex')}`,
    ],
    [
      'a response (QR set)',
      `${header(0x8000, 1)}${Buffer.from(buildQuery({ questions: [q(origin)] }).subarray(12)).toString('hex')}`,
    ],
  ];
  for (const [label, hex] of malformed)
    probes.push({ label, message: Buffer.from(hex, 'hex'), transport: 'udp' });
  // A seeded sample of the above over TCP as well (answers must not depend on the transport).
  // (Not the ones no server answers: over TCP they would only wait for the timeout.)
  const udp = probes.filter(
    (p) => p.transport === 'udp' && !p.label.startsWith('shorter') && !p.label.includes('QR set'),
  );
  for (let i = 0; i < 40; i += 1) {
    const pick = udp[Math.floor(random() * udp.length)];
    if (pick !== undefined) probes.push({ ...pick, label: `tcp: ${pick.label}`, transport: 'tcp' });
  }
  for (const name of [origin, `${blocked}.${origin}`, `nx.${origin}`]) {
    add(`tcp keepalive ${name}`, { questions: [q(name)], opt: opt([[11, '']]) }, 'tcp');
    add(
      `tcp keepalive bad length ${name}`,
      { questions: [q(name)], opt: opt([[11, '01']]) },
      'tcp',
    );
    add(`tcp edns 100 ${name}`, { questions: [q(name)], opt: opt([], { udpSize: 100 }) }, 'tcp');
  }
  return probes;
}

/**
 * Zone transfer questions: AXFR and IXFR over UDP and TCP, to the zone, names in it and other
 * zones, with well and badly formed IXFR authority sections and client serials that are ours,
 * newer (also across the wrap), exactly 2^31 away, and unknown older ones.
 */
export function transferProbes(origin: string, blocked: string, serial: number): Probe[] {
  const probes: Probe[] = [];
  const name = textName(origin);
  const add = (label: string, spec: QuerySpec, transport: 'udp' | 'tcp'): void => {
    probes.push({ label: `${transport} ${label}`, message: buildQuery(spec), transport });
  };
  const wrap = (n: number): number => ((n % 2 ** 32) + 2 ** 32) % 2 ** 32;
  for (const transport of ['udp', 'tcp'] as const) {
    add('AXFR', { questions: [{ name, type: 252 }] }, transport);
    add('AXFR rd cd', { flags: 0x110, questions: [{ name, type: 252 }] }, transport);
    add('AXFR edns', { questions: [{ name, type: 252 }], opt: opt() }, transport);
    add('AXFR edns expire', { questions: [{ name, type: 252 }], opt: opt([[9, '']]) }, transport);
    add(
      'AXFR of a name in the zone',
      { questions: [{ name: textName(`${blocked}.${origin}`), type: 252 }] },
      transport,
    );
    add(
      'AXFR of another zone',
      { questions: [{ name: textName('example.net'), type: 252 }] },
      transport,
    );
    add('AXFR in class CH', { questions: [{ name, type: 252, class: 3 }] }, transport);
    add('IXFR without SOA', { questions: [{ name, type: 251 }] }, transport);
    for (const [label, client] of [
      ['current', serial],
      ['newer', wrap(serial + 1)],
      ['far newer', wrap(serial + 2 ** 31 - 1)],
      ['exactly 2^31 away', wrap(serial + 2 ** 31)],
      ['older, unknown', wrap(serial - 2 ** 31 + 1)],
      ['0', 0],
      ['17', 17],
    ] as const) {
      add(
        `IXFR from ${label} (${client})`,
        { questions: [{ name, type: 251 }], authorities: [clientSoa(origin, client)] },
        transport,
      );
      add(
        `IXFR rd from ${label}`,
        {
          flags: 0x100,
          questions: [{ name, type: 251 }],
          authorities: [clientSoa(origin, client)],
        },
        transport,
      );
    }
    add(
      'IXFR with the SOA of another name',
      { questions: [{ name, type: 251 }], authorities: [clientSoa('example.net', serial)] },
      transport,
    );
    add(
      'IXFR with the SOA in the answer section',
      { questions: [{ name, type: 251 }], answers: [clientSoa(origin, serial)] },
      transport,
    );
    add(
      'IXFR with two SOAs',
      {
        questions: [{ name, type: 251 }],
        authorities: [clientSoa(origin, serial), clientSoa(origin, 1)],
      },
      transport,
    );
    add(
      'IXFR with an A record',
      { questions: [{ name, type: 251 }], authorities: [raw(origin, 1, '01020304')] },
      transport,
    );
    add(
      'IXFR of a name in the zone',
      {
        questions: [{ name: textName(`${blocked}.${origin}`), type: 251 }],
        authorities: [clientSoa(`${blocked}.${origin}`, 1)],
      },
      transport,
    );
    add(
      'IXFR of another zone',
      {
        questions: [{ name: textName('example.net'), type: 251 }],
        authorities: [clientSoa('example.net', 1)],
      },
      transport,
    );
    add(
      'IXFR edns',
      { questions: [{ name, type: 251 }], authorities: [clientSoa(origin, 17)], opt: opt() },
      transport,
    );
  }
  return probes;
}

/**
 * The same few questions signed with TSIG (RFC 8945) correctly and in every wrong way: another
 * secret (BADSIG), another key name or algorithm (BADKEY), a time outside the fudge (BADTIME),
 * a truncated or empty MAC, a TSIG that is not the last record or comes twice.
 */
export function tsigProbes(
  origin: string,
  blocked: string,
  key: TsigKeyConfig,
  now: number,
  serial: number,
): Probe[] {
  const probes: Probe[] = [];
  const questions: [string, QuerySpec, 'udp' | 'tcp'][] = [
    ['SOA', { questions: [{ name: textName(origin), type: 6 }] }, 'udp'],
    [
      'blocked A rd',
      { flags: 0x100, questions: [{ name: textName(`x.${blocked}.${origin}`), type: 1 }] },
      'udp',
    ],
    [
      'empty non-terminal',
      {
        questions: [
          { name: textName(`${blocked.split('.').slice(1).join('.')}.${origin}`), type: 1 },
        ],
      },
      'udp',
    ],
    [
      'NXDOMAIN edns',
      { questions: [{ name: textName(`nx.${origin}`), type: 1 }], opt: opt() },
      'udp',
    ],
    ['other zone', { questions: [{ name: textName('example.net'), type: 1 }] }, 'udp'],
    ['status opcode', { flags: 2 << 11, questions: [{ name: textName(origin), type: 6 }] }, 'udp'],
    [
      'NOTIFY',
      { flags: (4 << 11) | 0x400, questions: [{ name: textName(origin), type: 6 }] },
      'udp',
    ],
    ['UPDATE', { flags: 5 << 11, questions: [{ name: textName(origin), type: 6 }] }, 'udp'],
    ['MAILA', { questions: [{ name: textName(origin), type: 254 }] }, 'udp'],
    [
      'two questions',
      {
        questions: [
          { name: textName(origin), type: 6 },
          { name: textName(origin), type: 2 },
        ],
      },
      'udp',
    ],
    [
      'edns version 1',
      { questions: [{ name: textName(origin), type: 6 }], opt: opt([], { version: 1 }) },
      'udp',
    ],
    ['class HS', { questions: [{ name: textName(origin), type: 6, class: 4 }] }, 'udp'],
    ['class 9', { questions: [{ name: textName(origin), type: 6, class: 9 }] }, 'udp'],
    ['AXFR over UDP', { questions: [{ name: textName(origin), type: 252 }] }, 'udp'],
    [
      'IXFR over UDP',
      { questions: [{ name: textName(origin), type: 251 }], authorities: [clientSoa(origin, 17)] },
      'udp',
    ],
    ['AXFR', { questions: [{ name: textName(origin), type: 252 }] }, 'tcp'],
    [
      'IXFR up to date',
      {
        questions: [{ name: textName(origin), type: 251 }],
        authorities: [clientSoa(origin, serial)],
      },
      'tcp',
    ],
    [
      'IXFR unknown serial',
      { questions: [{ name: textName(origin), type: 251 }], authorities: [clientSoa(origin, 17)] },
      'tcp',
    ],
    ['AXFR of another zone', { questions: [{ name: textName('example.net'), type: 252 }] }, 'tcp'],
    ['IXFR without SOA', { questions: [{ name: textName(origin), type: 251 }] }, 'tcp'],
  ];
  const otherSecret = { ...key, secret: Buffer.from('another-secret-of-enough-length') };
  for (const [label, spec, transport] of questions) {
    const query = buildQuery(spec);
    const valid = signMessage(query, key, { time: now });
    probes.push({
      label: `signed ${label}`,
      message: valid.message,
      transport,
      mac: valid.mac,
      time: now,
    });
    probes.push({ label: `unsigned ${label}`, message: query, transport });
    const badSig = signMessage(query, otherSecret, { time: now });
    probes.push({ label: `BADSIG ${label}`, message: badSig.message, transport, time: now });
    const badKey = signMessage(query, { ...key, name: 'unknown-key' }, { time: now });
    probes.push({ label: `BADKEY ${label}`, message: badKey.message, transport, time: now });
    const past = signMessage(query, key, { time: now - 1000 });
    probes.push({
      label: `BADTIME ${label}`,
      message: past.message,
      transport,
      mac: past.mac,
      time: now - 1000,
    });
    if (transport === 'tcp') continue;
    probes.push({
      label: `other algorithm ${label}`,
      message: appendTsig(
        query,
        { name: key.name, algorithm: 'hmac-sha1' },
        now,
        Buffer.alloc(20, 7),
        0,
      ),
      transport,
      time: now,
    });
    probes.push({
      label: `truncated MAC ${label}`,
      message: appendTsig(query, key, now, valid.mac.subarray(0, 16), 0),
      transport,
      time: now,
    });
    probes.push({
      label: `MAC of 8 octets ${label}`,
      message: appendTsig(query, key, now, valid.mac.subarray(0, 8), 0),
      transport,
      time: now,
    });
    probes.push({
      label: `empty MAC ${label}`,
      message: appendTsig(query, key, now, Buffer.alloc(0), 0),
      transport,
      time: now,
    });
    const notLast = Buffer.concat([valid.message, Buffer.from('000001000100000000000101', 'hex')]);
    notLast.writeUInt16BE(notLast.readUInt16BE(10) + 1, 10);
    probes.push({ label: `TSIG not last ${label}`, message: notLast, transport, time: now });
    const twice = signMessage(valid.message, key, { time: now });
    probes.push({ label: `TSIG twice ${label}`, message: twice.message, transport, time: now });
  }
  return probes;
}
