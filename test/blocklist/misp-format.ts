import { createHash } from 'node:crypto';
import { expect } from 'vitest';

/*
 * The MISP core format's required fields, from draft-dulaunoy-misp-core-format (MISP/misp-rfc,
 * misp-core-format/raw.md, draft-18): "MUST be present" and "SHALL be present" (RFC 2119: the
 * same absolute requirement). Fields that name a row of the importing instance's own database
 * (numeric `id`, `org_id`, `orgc_id`, `event_id`, `Orgc.id`) are assigned by that instance when
 * it imports a feed; MISP's own feed generator (PyMISP examples/feed-generator) leaves them out,
 * and so does scamnet: they are listed apart and must be absent.
 */
const EVENT_REQUIRED = {
  uuid: 'string',
  published: 'boolean',
  info: 'string',
  date: 'string',
  timestamp: 'string',
  publish_timestamp: 'string',
  distribution: 'string',
  threat_level_id: 'string',
  analysis: 'string',
  first_publication: 'string',
  attribute_count: 'string',
} as const;
const EVENT_INSTANCE_LOCAL = ['id', 'org_id', 'orgc_id'];
const ATTRIBUTE_REQUIRED = {
  uuid: 'string',
  type: 'string',
  category: 'string',
  to_ids: 'boolean',
  distribution: 'string',
  timestamp: 'string',
  deleted: 'boolean',
  value: 'string',
} as const;
const ATTRIBUTE_INSTANCE_LOCAL = ['id', 'event_id'];
/** The draft's category-type table, for the categories and types scamnet writes. */
const NETWORK_ACTIVITY_TYPES = ['domain', 'url', 'hostname'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECONDS = /^(0|[1-9]\d*)$/;

function fieldsOf(value: unknown, where: string): Record<string, unknown> {
  expect(typeof value, where).toBe('object');
  expect(value, where).not.toBeNull();
  return Object.fromEntries(Object.entries(value ?? {}));
}

function checkRequired(
  object: Record<string, unknown>,
  required: Record<string, string>,
  local: readonly string[],
  where: string,
): void {
  for (const [field, type] of Object.entries(required)) {
    expect(typeof object[field], `${where}.${field}`).toBe(type);
  }
  for (const field of local) expect(object[field], `${where}.${field}`).toBeUndefined();
}

function checkOrgc(value: unknown, where: string): void {
  const orgc = fieldsOf(value, where);
  expect(orgc.uuid, `${where}.uuid`).toMatch(UUID);
  expect(typeof orgc.name, `${where}.name`).toBe('string');
  expect(String(orgc.name).length, `${where}.name`).toBeGreaterThan(0);
  expect(orgc.id, `${where}.id`).toBeUndefined();
}

/** Asserts that `event` (a parsed `<uuid>.json`) is a MISP core format event with unique UUIDs. */
export function checkMispEvent(document: unknown): void {
  const event = fieldsOf(fieldsOf(document, 'document').Event, 'Event');
  checkRequired(event, EVENT_REQUIRED, EVENT_INSTANCE_LOCAL, 'Event');
  expect(event.uuid).toMatch(UUID);
  expect(event.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  for (const field of ['timestamp', 'publish_timestamp', 'first_publication']) {
    expect(event[field], `Event.${field}`).toMatch(SECONDS);
  }
  expect(['0', '1', '2', '3', '4']).toContain(event.distribution);
  expect(['1', '2', '3', '4']).toContain(event.threat_level_id);
  expect(['0', '1', '2']).toContain(event.analysis);
  // sharing_group_id SHOULD be present and MUST be "0" unless distribution is 4 (sharing group).
  expect(event.sharing_group_id).toBe('0');
  // info SHOULD NOT be longer than 256 characters nor hold a line break.
  expect(String(event.info)).toMatch(/^[^\n]{1,256}$/);
  checkOrgc(event.Orgc, 'Event.Orgc');
  const attributes = event.Attribute;
  expect(Array.isArray(attributes)).toBe(true);
  const list: unknown[] = Array.isArray(attributes) ? attributes : [];
  expect(event.attribute_count).toBe(String(list.length));
  const uuids = new Set<string>();
  list.forEach((value, index) => {
    const where = `Attribute[${index}]`;
    const attribute = fieldsOf(value, where);
    checkRequired(attribute, ATTRIBUTE_REQUIRED, ATTRIBUTE_INSTANCE_LOCAL, where);
    expect(attribute.uuid, `${where}.uuid`).toMatch(UUID);
    uuids.add(String(attribute.uuid));
    expect(attribute.category, `${where}.category`).toBe('Network activity');
    expect(NETWORK_ACTIVITY_TYPES, `${where}.type`).toContain(attribute.type);
    expect(['0', '1', '2', '3', '4', '5'], `${where}.distribution`).toContain(
      attribute.distribution,
    );
    expect(attribute.timestamp, `${where}.timestamp`).toMatch(SECONDS);
    expect(Number(attribute.timestamp)).toBeLessThanOrEqual(Number(event.timestamp));
    expect(attribute.sharing_group_id, `${where}.sharing_group_id`).toBe('0');
  });
  expect(uuids.size, 'attribute UUIDs are unique').toBe(list.length);
  expect(uuids.has(String(event.uuid)), 'an attribute UUID is not the event UUID').toBe(false);
}

/**
 * Asserts that `manifest` (a parsed manifest.json) has, for each event UUID, what MISP's feed
 * generator writes there and MISP's fetcher reads: Orgc, Tag, info, date, analysis,
 * threat_level_id, timestamp.
 */
export function checkMispManifest(document: unknown): void {
  const manifest = fieldsOf(document, 'manifest');
  expect(Object.keys(manifest).length).toBeGreaterThan(0);
  for (const [uuid, value] of Object.entries(manifest)) {
    expect(uuid).toMatch(UUID);
    const entry = fieldsOf(value, uuid);
    checkOrgc(entry.Orgc, `${uuid}.Orgc`);
    expect(Array.isArray(entry.Tag)).toBe(true);
    for (const field of ['info', 'date', 'analysis', 'threat_level_id', 'timestamp']) {
      expect(typeof entry[field], `${uuid}.${field}`).toBe('string');
    }
    expect(entry.timestamp).toMatch(SECONDS);
  }
}

/**
 * Asserts that `hashes` (hashes.csv) is what PyMISP's feed generator writes: one
 * `md5(value),event uuid` line per attribute (LF ends), here for every attribute not deleted and
 * nothing else.
 */
export function checkMispHashes(hashes: string, document: unknown): void {
  const event = fieldsOf(fieldsOf(document, 'document').Event, 'Event');
  const list: unknown[] = Array.isArray(event.Attribute) ? event.Attribute : [];
  const expected = list
    .map((value) => fieldsOf(value, 'Attribute'))
    .filter((a) => a.deleted === false)
    .map(
      (a) =>
        `${createHash('md5').update(String(a.value), 'utf8').digest('hex')},${String(event.uuid)}`,
    );
  const lines = hashes === '' ? [] : hashes.replace(/\n$/, '').split('\n');
  for (const line of lines) expect(line).toMatch(/^[0-9a-f]{32},[0-9a-f-]{36}$/);
  expect(hashes === '' || hashes.endsWith('\n')).toBe(true);
  expect(lines.sort()).toEqual(expected.sort());
}
