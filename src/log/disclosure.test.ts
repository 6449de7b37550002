import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIGESTS_MEMBER,
  createDisclosure,
  disclosureDigest,
  fieldsOutsideAllowList,
  parseDisclosure,
  revealEventData,
  sealEventData,
} from './disclosure.js';
import { EVENT_FIELDS, EVENT_TYPES, isEventType } from './event-types.js';

describe('RFC 9901 disclosures', () => {
  it('computes the digest of the RFC 9901 §4.2.1 example', () => {
    // RFC 9901 section 4.2.1: ["_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius"].
    const disclosure = 'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0';
    expect(disclosureDigest(disclosure)).toBe('X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0');
    expect(parseDisclosure(disclosure)).toEqual({
      salt: '_26bc4LT-ac6q2KI6cBW5es',
      name: 'family_name',
      value: 'Möbius',
    });
  });

  it('writes [salt, name, value] as canonical JSON, base64url without padding', () => {
    const disclosure = createDisclosure('email', 'a@example.test', 'c2FsdA');
    expect(Buffer.from(disclosure, 'base64url').toString('utf8')).toBe(
      '["c2FsdA","email","a@example.test"]',
    );
    expect(disclosure).toMatch(/^[\w-]+$/);
  });

  it('salts every disclosure anew, so equal values get unrelated digests', () => {
    const a = createDisclosure('email', 'a@example.test');
    const b = createDisclosure('email', 'a@example.test');
    expect(disclosureDigest(a)).not.toBe(disclosureDigest(b));
    expect(parseDisclosure(a)?.salt).toMatch(/^[\w-]{22}$/);
  });

  it('round-trips any JSON value, and never throws on other strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (name, value) => {
        const normalised: unknown = JSON.parse(JSON.stringify(value));
        const parsed = parseDisclosure(createDisclosure(name, normalised));
        expect(parsed?.name).toBe(name);
        expect(parsed?.value).toEqual(normalised);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseDisclosure(text);
        expect(parsed === undefined || typeof parsed.salt === 'string').toBe(true);
      }),
    );
    expect(parseDisclosure(Buffer.from('["s","n"]').toString('base64url'))).toBeUndefined();
    expect(parseDisclosure(Buffer.from('[1,"n",2]').toString('base64url'))).toBeUndefined();
  });
});

describe('sealing event data by its type’s allow-list', () => {
  it('keeps public fields, replaces sealed ones by the digests of their disclosures', () => {
    const data = {
      email: 'zq@example.test',
      displayName: '陳小明',
      role: 'analyst',
      entityIds: [],
      platform: null,
      passwordGenerated: true,
    };
    const { leafData, disclosures } = sealEventData('user.created', data);
    expect(Object.keys(leafData).sort()).toEqual([
      DIGESTS_MEMBER,
      'entityIds',
      'passwordGenerated',
      'platform',
      'role',
    ]);
    expect(JSON.stringify(leafData)).not.toMatch(/zq@example|陳小明/);
    expect(disclosures.map((d) => parseDisclosure(d)?.name).sort()).toEqual([
      'displayName',
      'email',
    ]);
    expect(leafData[DIGESTS_MEMBER]).toEqual(disclosures.map(disclosureDigest).sort());
    expect(revealEventData(leafData, disclosures)).toEqual(data);
  });

  it('leaves out absent sealed values and adds no _sd without them', () => {
    const sealed = sealEventData('case.verdict', {
      after: { verdict: 'fraud' },
      note: null,
      role: undefined,
    });
    expect(sealed).toEqual({ leafData: { after: { verdict: 'fraud' } }, disclosures: [] });
  });

  it('refuses a field outside the allow-list and an unknown type', () => {
    expect(() => sealEventData('user.created', { email: 'a@b.test', phone: '0912' })).toThrow(
      /user\.created: field phone is not in its allow-list/,
    );
    expect(() => sealEventData('user.deleted', {})).toThrow(/unknown audit event type/);
  });

  it('reveals only disclosures the leaf binds', () => {
    const { leafData } = sealEventData('case.merged', { from: 'C1', note: 'kept' });
    const forged = createDisclosure('note', 'forged');
    expect(revealEventData(leafData, [forged])).toEqual({ from: 'C1' });
  });

  it('names the fields of old leaves that their type no longer allows', () => {
    expect(
      fieldsOutsideAllowList('user.created', {
        email: 'a@b.test',
        displayName: 'A',
        role: 'analyst',
        [DIGESTS_MEMBER]: [],
      }),
    ).toEqual(['displayName', 'email']);
    expect(fieldsOutsideAllowList('case.verdict', { after: {}, note: 'x' })).toEqual(['note']);
    // A null carries nothing; old leaves wrote `note: null` when there was none.
    expect(fieldsOutsideAllowList('case.merged', { from: 'C1', note: null })).toEqual([]);
    expect(fieldsOutsideAllowList('gone.type', { a: 1 })).toEqual(['a']);
    // Personal data nested in public fields, as old user.updated and routing rule leaves had it.
    expect(
      fieldsOutsideAllowList('user.updated', {
        before: { displayName: 'A', role: 'analyst' },
        after: { displayName: 'B', role: 'analyst' },
      }),
    ).toEqual(['after.displayName', 'before.displayName']);
    expect(
      fieldsOutsideAllowList('routing_rules.replaced', {
        before: [{ target: 'x', note: null }],
        after: [{ target: 'x', note: 'call Dr. A' }],
      }),
    ).toEqual(['after[0].note']);
    expect(
      fieldsOutsideAllowList('evidence.captured', {
        observation: { state: 'removed', reason: 'http_404' },
      }),
    ).toEqual([]);
  });
});

describe('the event type registry', () => {
  it('lists every type once, each field either public or sealed, none named _sd', () => {
    expect(EVENT_TYPES).toEqual(Object.keys(EVENT_FIELDS).sort());
    for (const type of EVENT_TYPES) {
      expect(isEventType(type)).toBe(true);
      const rule: { public: readonly string[]; sealed: readonly string[] } = EVENT_FIELDS[type];
      const all = [...rule.public, ...rule.sealed];
      expect(new Set(all).size, type).toBe(all.length);
      expect(all, type).not.toContain(DIGESTS_MEMBER);
    }
    expect(isEventType('toString')).toBe(false);
  });

  it('publishes no field whose name says it holds contact data, a name or free text', () => {
    const personal =
      /email|mail|name|phone|contact|note|reason|question|answer|text|message|error|address|ip$|agent|webhook|reminder/i;
    // Allowed by design: scamnet's own reasons (machine-made codes) and error codes, a count and
    // a flag, and a report source's name (an organisation's a-z 0-9 `_.-` identifier such as
    // `whoscall`, as case.created's `source`).
    const designed = new Set([
      'api_key.created.sourceName',
      'bulletin.published.reminders',
      'evidence.captured.errorCode',
      'evidence.rechecked.errorCode',
      'platform_channel.set.webhookSigned',
      'takedown_notice.claim_contradicted.reasons',
      'takedown_notice.rechecked.reasons',
      'takedown_notice.withdrawn.reason',
      'case.notice_not_sent.reason',
    ]);
    const published = EVENT_TYPES.flatMap((type) =>
      EVENT_FIELDS[type].public.map((field: string) => `${type}.${field}`),
    ).filter((path) => personal.test(path.split('.').at(-1) ?? '') && !designed.has(path));
    expect(published).toEqual([]);
  });
});
