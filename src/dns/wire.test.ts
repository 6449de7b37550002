import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lowerName,
  MessageWriter,
  nameFromKey,
  nameKey,
  parseMessage,
  readSoa,
  readWireName,
  textName,
  WireFormatError,
  type OutRecord,
} from './wire.js';

/** Names of arbitrary octets: 0–4 labels of 1–20 octets (well under the 255-octet limit). */
const label = fc.uint8Array({ minLength: 1, maxLength: 20 }).map((a) => Buffer.from(a));
const name = fc.array(label, { maxLength: 4 });
/** Names over a few letters in both cases, so that compression and case meet often. */
const smallName = fc.array(
  fc.constantFrom('a', 'B', 'b', 'rpz', 'RPZ', 'x-y').map((l) => Buffer.from(l)),
  { maxLength: 4 },
);

describe('DNS wire format (RFC 1035 §3.1, §4.1.4)', () => {
  it('parses any octets without throwing anything but WireFormatError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (octets) => {
        try {
          parseMessage(Buffer.from(octets));
        } catch (error) {
          return error instanceof WireFormatError;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what it writes: names as written (case kept), types, classes, TTLs, compressed RDATA names (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(name, smallName),
        fc.array(
          fc.record({
            owner: fc.oneof(name, smallName),
            target: fc.oneof(name, smallName),
            type: fc.integer({ min: 0, max: 0xffff }),
            klass: fc.integer({ min: 0, max: 0xffff }),
            ttl: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          }),
          { maxLength: 8 },
        ),
        (qname, records) => {
          const writer = new MessageWriter(0x1234, 0x0100);
          writer.question({ name: qname, type: 6, class: 1 });
          const out: OutRecord[] = records.map((r) => ({
            name: r.owner,
            type: r.type,
            class: r.klass,
            ttl: r.ttl,
            data: { kind: 'name', name: r.target },
          }));
          for (const r of out) expect(writer.record('answer', r)).toBe(true);
          const buf = writer.finish();
          const parsed = parseMessage(buf);
          expect(parsed.id).toBe(0x1234);
          expect(parsed.flags).toBe(0x0100);
          expect(parsed.questions[0]?.name).toEqual(qname);
          expect(parsed.answers).toHaveLength(records.length);
          parsed.answers.forEach((answer, i) => {
            const r = records[i];
            expect(answer.name).toEqual(r?.owner);
            expect(answer.type).toBe(r?.type);
            expect(answer.class).toBe(r?.klass);
            expect(answer.ttl).toBe(r?.ttl);
            expect(readWireName(buf, answer.rdataOffset).name).toEqual(r?.target);
          });
        },
      ),
    );
  });

  it('compresses repeated names but never across a difference of case', () => {
    const writer = new MessageWriter(1, 0);
    writer.question({ name: textName('RPZ.scamnet'), type: 6, class: 1 });
    const soa: OutRecord = {
      name: textName('rpz.scamnet'),
      type: 6,
      class: 1,
      ttl: 60,
      data: {
        kind: 'soa',
        soa: {
          mname: textName('localhost'),
          rname: textName('hostmaster.rpz.scamnet'),
          serial: 7,
          refresh: 1,
          retry: 2,
          expire: 3,
          minimum: 4,
        },
      },
    };
    writer.record('authority', soa);
    const buf = writer.finish();
    const parsed = parseMessage(buf);
    const record = parsed.authorities[0];
    expect(record?.name.map(String)).toEqual(['rpz', 'scamnet']);
    expect(record === undefined ? undefined : readSoa(buf, record)).toMatchObject({
      rname: textName('hostmaster.rpz.scamnet'),
      serial: 7,
      minimum: 4,
    });
    // Header 12, question 17; owner `rpz` (4) + pointer to the question's `scamnet` (2), not to
    // its `RPZ`; fixed fields 10; MNAME `localhost` 11, RNAME `hostmaster` 11 + pointer to the
    // owner's `rpz.scamnet` 2, timers 20. Without compression it would be 107 octets.
    expect(buf.length).toBe(12 + 17 + 6 + 10 + 11 + 13 + 20);
  });

  it('refuses compression loops, forward pointers, names over 255 octets and unknown label types', () => {
    const header = Buffer.from('000000000001000000000000', 'hex');
    for (const body of ['c00c00060001', 'c01000060001000000', '400000060001']) {
      expect(() => parseMessage(Buffer.concat([header, Buffer.from(body, 'hex')]))).toThrow(
        WireFormatError,
      );
    }
    const long = Buffer.concat([
      ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 97)])),
      Buffer.from('0000060001', 'hex'),
    ]);
    expect(() => parseMessage(Buffer.concat([header, long]))).toThrow(/255/);
  });

  it('gives distinct names distinct keys, case aside (property)', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const same = Buffer.concat(
          lowerName(a).flatMap((l) => [Buffer.from([l.length]), l]),
        ).equals(Buffer.concat(lowerName(b).flatMap((l) => [Buffer.from([l.length]), l])));
        return (nameKey(a) === nameKey(b)) === same;
      }),
      { numRuns: 2000 },
    );
    expect(nameKey([Buffer.from('a.b'), Buffer.from('C')])).toBe('a\\.b.c');
    fc.assert(
      fc.property(name, (n) => {
        expect(nameFromKey(nameKey(n))).toEqual(lowerName(n));
      }),
      { numRuns: 2000 },
    );
    expect(nameKey(textName('a.b.c'))).toBe('a.b.c');
  });
});
