/**
 * The conformance checker refuses what it should: an undocumented status, another media type or
 * format version, a JSON body off its schema, a text body that is not its format, a body where
 * none is documented; and it reads Fastify's route listing back into routes.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Conformance, registeredRoutes, type OpenApiDocument } from './conformance.js';

const text = (type: string) => ({ content: { [type]: { schema: { type: 'string' } } } });

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/items/{id}': {
      get: {
        responses: {
          200: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'at'],
                  properties: {
                    id: { type: 'string' },
                    at: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          304: { description: 'Not Modified' },
        },
      },
    },
    '/items/export': {
      get: {
        responses: {
          200: {
            content: {
              'application/stix+json;version=2.1': { schema: { type: 'object' } },
            },
          },
        },
      },
    },
    '/x.csv': { get: { responses: { 200: text('text/csv') } } },
    '/x.html': { get: { responses: { 200: text('text/html') } } },
    '/x.atom': { get: { responses: { 200: text('application/atom+xml') } } },
    '/x.zone': { get: { responses: { 200: text('text/dns') } } },
    '/x.txt': { get: { responses: { 200: text('text/plain') } } },
    '/x.yaml': { get: { responses: { 200: text('application/yaml') } } },
    '/x.png': { get: { responses: { 200: text('image/png') } } },
  },
};

const conformance = new Conformance(doc);

function check(
  url: string,
  status: number,
  type: string | undefined,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  const operation = conformance.operationFor('GET', url);
  if (operation === undefined) throw new Error(`no operation for ${url}`);
  return conformance.check(operation, {
    statusCode: status,
    headers: { ...headers, ...(type === undefined ? {} : { 'content-type': type }) },
    rawPayload: Buffer.isBuffer(body) ? body : Buffer.from(body),
  });
}

describe('Conformance', () => {
  it('picks the most specific path, as the router does', () => {
    expect(conformance.operationFor('GET', '/items/export?x=1')?.key).toBe('GET /items/export');
    expect(conformance.operationFor('GET', '/items/42')?.key).toBe('GET /items/{id}');
    expect(conformance.operationFor('POST', '/items/42')).toBeUndefined();
  });

  it('accepts a documented response, with parameters and gzip', () => {
    const json = JSON.stringify({ id: '1', at: '2026-11-29T02:00:00.000Z' });
    expect(check('/items/1', 200, 'application/json; charset=utf-8', json)).toEqual([]);
    expect(check('/items/1', 304, undefined, '')).toEqual([]);
    expect(
      check('/items/export', 200, 'application/stix+json; version=2.1', JSON.stringify({})),
    ).toEqual([]);
    const gzipped = gzipSync('a,b\r\n1,2\r\n');
    expect(
      check('/x.csv', 200, 'text/csv; charset=utf-8', gzipped, { 'content-encoding': 'gzip' }),
    ).toEqual([]);
  });

  it('refuses undocumented statuses, other media types and bodies where none is documented', () => {
    expect(check('/items/1', 404, 'application/json', '{}')).toEqual([
      'status 404 is not documented',
    ]);
    expect(check('/items/1', 200, 'text/plain', '{}')[0]).toMatch(/not one of application\/json/);
    expect(check('/items/1', 200, undefined, '{}')[0]).toMatch(/Content-Type ""/);
    expect(check('/items/export', 200, 'application/stix+json;version=2.0', '{}')).toHaveLength(1);
    expect(check('/items/1', 304, 'application/json', '{}')).toEqual([
      '304 documents no body but one was sent',
    ]);
  });

  it('validates JSON bodies against the schema, formats included', () => {
    expect(check('/items/1', 200, 'application/json', '{"id":1,"at":"x"}')).toEqual([
      'body/id must be string',
      'body/at must match format "date-time"',
    ]);
    expect(check('/items/1', 200, 'application/json', '"a JSON-serialized string"')).toEqual([
      'body must be object',
    ]);
    expect(check('/items/1', 200, 'application/json', 'id,at')).toEqual([
      'application/json body is not JSON',
    ]);
  });

  it('checks each text format cheaply, and refuses a type it has no check for', () => {
    expect(check('/x.csv', 200, 'text/csv', 'a,b\r\n"unclosed,2\r\n')[0]).toMatch(/does not parse/);
    expect(check('/x.csv', 200, 'text/csv', '')).toEqual(['text/csv body is empty']);
    expect(check('/x.html', 200, 'text/html', '<!doctype html><p>x')).toEqual([]);
    expect(check('/x.html', 200, 'text/html', '"<!doctype html>"')).toEqual([
      'HTML does not start with <!doctype html>',
    ]);
    const atom = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>x</id></feed>';
    expect(check('/x.atom', 200, 'application/atom+xml', atom)).toEqual([]);
    expect(check('/x.atom', 200, 'application/atom+xml', atom.replace('</id>', ''))[0]).toMatch(
      /not well-formed/,
    );
    expect(check('/x.atom', 200, 'application/atom+xml', '<rss version="2.0"/>')).toEqual([
      'root is not an Atom <feed>',
    ]);
    expect(
      check('/x.zone', 200, 'text/dns', '@ 60 IN SOA ns. h. 1 2 3 4 5\n@ IN NS ns.\n'),
    ).toEqual([]);
    expect(check('/x.zone', 200, 'text/dns', 'example.test CNAME .\n')).toHaveLength(1);
    expect(check('/x.txt', 200, 'text/plain', 'a\nb')).toHaveLength(1);
    expect(check('/x.txt', 200, 'text/plain', Buffer.from([0x61, 0xff, 0x0a]))).toEqual([
      'text/plain body is not UTF-8',
    ]);
    expect(check('/x.yaml', 200, 'application/yaml', 'a: 1\n')).toEqual([
      'no check written for media type application/yaml',
    ]);
    expect(check('/x.png', 200, 'image/png', 'GIF89a')).toEqual(['body is not image/png']);
  });
});

describe('registeredRoutes', () => {
  it('reads nested paths and methods, leaving out HEAD', () => {
    const printed = [
      '├── /healthz (GET, HEAD)',
      '├── /api/v1/cases (GET, HEAD)',
      '│   ├── /trending (GET, HEAD)',
      '│   └── /:id (GET, HEAD)',
      '│       ├── /merge (POST)',
      '│       └── /triage (GET, HEAD, PATCH)',
      '└── /transparency (GET, HEAD)',
      '    └── /csv (GET, HEAD)',
      '',
    ].join('\n');
    expect(registeredRoutes(printed)).toEqual([
      'GET /healthz',
      'GET /api/v1/cases',
      'GET /api/v1/cases/trending',
      'GET /api/v1/cases/{id}',
      'POST /api/v1/cases/{id}/merge',
      'GET /api/v1/cases/{id}/triage',
      'PATCH /api/v1/cases/{id}/triage',
      'GET /transparency',
      'GET /transparency/csv',
    ]);
  });
});
