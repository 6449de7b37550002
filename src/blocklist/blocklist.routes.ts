import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponseSchema } from '../http/index.js';
import {
  bearerRoute,
  CSV_BOM_QUERY,
  errorResponses,
  mediaResponse,
  textResponse,
  wantsBom,
} from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import {
  ActivateBodySchema,
  EntryDetailResponseSchema,
  EntryListQuerySchema,
  EntryListResponseSchema,
  EntryParamsSchema,
  EntryResponseSchema,
  FromCaseBodySchema,
  FromCaseResponseSchema,
  NewEntryBodySchema,
  TransitionBodySchema,
  TransitionParamsSchema,
  ZoneOmissionsResponseSchema,
} from './blocklist.schemas.js';
import { getEntry, listEntryPage } from './entries.service.js';
import {
  blocklistDomains,
  feedSnapshot,
  indicatorSnapshot,
  type FeedSnapshot,
  type IndicatorSnapshot,
} from './feed-snapshots.service.js';
import { proposeEntry, proposeFromCase } from './proposals.service.js';
import { activateEntry, transitionEntry } from './transitions.service.js';
import { currentZone, zoneOmissions } from './zone.service.js';
import {
  adblockFeed,
  csvFeed,
  hostsFeed,
  jsonFeed,
  MISP_EVENT_UUID,
  mispEvent,
  mispHashes,
  mispManifest,
  stixBundle,
} from './feeds.js';
import { presentEntry, presentOmission } from './blocklist.presenter.js';
import {
  JsonFeedSchema,
  MispEventSchema,
  MispManifestSchema,
  StixBundleSchema,
} from './feeds.schemas.js';
import { renderRpzZoneText } from './rpz.js';

/** Bodies at least this large are gzipped when the client accepts gzip. */
const GZIP_MIN_BYTES = 256;

/**
 * Sends a feed body with a weak ETag (SHA-256 of the body; the same for the gzip and identity
 * encodings of it, RFC 9110 §8.8.1), `304 Not Modified` when If-None-Match names it, and gzip
 * (Content-Encoding, Vary: Accept-Encoding) when the client accepts it.
 */
function sendFeed(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
  contentType: string,
): FastifyReply {
  const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  reply
    .header('etag', etag)
    .header('vary', 'accept-encoding')
    .header('cache-control', 'public, max-age=60');
  const match = request.headers['if-none-match'];
  if (match !== undefined) {
    const tags = match.split(',').map((t) => t.trim().replace(/^W\//, ''));
    if (tags.includes('*') || tags.includes(etag.replace(/^W\//, ''))) {
      return reply.code(304).send();
    }
  }
  const bytes = Buffer.from(body, 'utf8');
  const accepts = /(^|,)\s*gzip\s*(;\s*q=(?!0(\.0*)?\s*(,|$))[\d.]+)?\s*(,|$)/i.test(
    request.headers['accept-encoding'] ?? '',
  );
  reply.type(contentType);
  if (accepts && bytes.length >= GZIP_MIN_BYTES) {
    return reply.header('content-encoding', 'gzip').send(gzipSync(bytes));
  }
  return reply.send(bytes);
}

/** The media type a feed is documented as: its Content-Type without the charset parameter. */
const documentedType = (contentType: string): string =>
  contentType.replace(/;\s*charset=[^;]*/i, '').trim();

/** A feed's schema: its body as the media type it is sent as, or 304 to a current ETag. */
const feedSchema = (
  summary: string,
  contentType: string,
  body: TSchema = Type.String(),
  errors: Record<number, typeof ErrorResponseSchema> = {},
) => ({
  tags: ['blocklist'],
  summary,
  response: {
    200: mediaResponse(
      'The feed (gzip-encoded when the client accepts it); ETag names this version',
      [documentedType(contentType)],
      body,
    ),
    304: Type.Null({ description: 'Not Modified: If-None-Match names the current ETag' }),
    ...errors,
  },
});

const editorErrors = errorResponses(400, 401, 403, 404, 409);

/** A feed file below /api/v1/blocklist/feeds/: its name, summary, Content-Type, body and schema. */
type FeedFile<Snapshot> = readonly [
  file: string,
  summary: string,
  contentType: string,
  render: (snapshot: Snapshot) => string,
  body: TSchema,
];

/**
 * Blocklist routes:
 * - public feeds of the active entries, each with ETag/If-None-Match and gzip:
 *   `GET /api/v1/blocklist/feeds/hosts.txt`, `adblock.txt`, `entries.csv` (`?bom=true` for
 *   Excel), `entries.json`, `stix.json` (STIX 2.1 bundle), `misp/manifest.json`,
 *   `misp/{uuid}.json` and `misp/hashes.csv` (MISP feed); STIX and MISP publish indicators that
 *   ended as revoked / deleted for FEED_REVOCATION_DAYS; and
 *   `GET /api/v1/blocklist/rpz.zone` (the RPZ zone as a master file);
 * - `GET /api/v1/blocklist/domains.txt`: the published domains (active, with a legal basis), the
 *   same set as the feeds;
 * - analyst/admin: list, read, propose (also from a case), activate, appeal, reinstate, lift;
 *   `GET /api/v1/blocklist/rpz/omissions`, the active entries the zone leaves out and why.
 */
export function registerBlocklistRoutes(app: App, { deps, auth }: RouteContext): void {
  /** Serves each of `feeds`, rendered from the snapshot `snapshotOf` reads per request. */
  const registerFeeds = <Snapshot>(
    feeds: ReadonlyArray<FeedFile<Snapshot>>,
    snapshotOf: () => Promise<Snapshot>,
  ): void => {
    for (const [file, summary, contentType, render, body] of feeds) {
      app.get(
        `/api/v1/blocklist/feeds/${file}`,
        { schema: feedSchema(summary, contentType, body) },
        async (request, reply) => sendFeed(request, reply, render(await snapshotOf()), contentType),
      );
    }
  };

  app.get(
    '/api/v1/blocklist/domains.txt',
    {
      schema: {
        tags: ['blocklist'],
        summary:
          'Blocked domains, one per line (text/plain): the active entries with a legal basis, the same set as the feeds',
        response: {
          200: textResponse('text/plain', 'One blocked domain per line (UTF-8); empty if none'),
        },
      },
    },
    async (_request, reply) => {
      const domains = await blocklistDomains(deps);
      return reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(domains.length === 0 ? '' : `${domains.join('\n')}\n`);
    },
  );

  const entryFeeds = [
    [
      'hosts.txt',
      'hosts file of blocked domains (0.0.0.0 domain)',
      'text/plain; charset=utf-8',
      (snapshot: FeedSnapshot) => hostsFeed(snapshot.entries, snapshot),
      Type.String(),
    ],
    [
      'adblock.txt',
      'Adblock Plus filter list (||domain^)',
      'text/plain; charset=utf-8',
      (snapshot: FeedSnapshot) => adblockFeed(snapshot.entries, snapshot),
      Type.String(),
    ],
    [
      'entries.json',
      'Blocked domains with legal basis, unit, site type, dates and reported URLs, and the entries that ended within the revocation window (JSON)',
      'application/json',
      (snapshot: FeedSnapshot) =>
        jsonFeed(snapshot.entries, {
          ...snapshot,
          revocationDays: deps.config.blocklist.feedRevocationDays,
        }),
      JsonFeedSchema,
    ],
  ] as const satisfies ReadonlyArray<FeedFile<FeedSnapshot>>;
  registerFeeds(entryFeeds, () => feedSnapshot(deps));
  app.get(
    '/api/v1/blocklist/feeds/entries.csv',
    {
      schema: {
        ...feedSchema(
          'Blocked domains with legal basis, unit, site type and dates (RFC 4180 CSV; bom=true for Excel)',
          'text/csv; charset=utf-8',
        ),
        querystring: Type.Object(CSV_BOM_QUERY, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const { entries } = await feedSnapshot(deps);
      const text = csvFeed(entries, { bom: wantsBom(request.query) });
      return sendFeed(request, reply, text, 'text/csv; charset=utf-8');
    },
  );

  const indicatorFeeds = [
    [
      'stix.json',
      'STIX 2.1 bundle of domain-name and url indicators; ended ones as revoked versions for FEED_REVOCATION_DAYS',
      'application/stix+json;version=2.1',
      (snapshot: IndicatorSnapshot) => stixBundle(snapshot.indicators, snapshot),
      StixBundleSchema,
    ],
    [
      'misp/manifest.json',
      'MISP feed manifest',
      'application/json',
      (snapshot: IndicatorSnapshot) => mispManifest(snapshot),
      MispManifestSchema,
    ],
    [
      'misp/hashes.csv',
      'MISP feed hashes.csv: md5 of each attribute value, event UUID',
      'text/csv; charset=utf-8',
      (snapshot: IndicatorSnapshot) => mispHashes(snapshot.indicators),
      Type.String(),
    ],
    [
      `misp/${MISP_EVENT_UUID}.json`,
      'MISP feed event file (listed in manifest.json); ended indicators as deleted attributes for FEED_REVOCATION_DAYS',
      'application/json',
      (snapshot: IndicatorSnapshot) => mispEvent(snapshot.indicators, snapshot),
      MispEventSchema,
    ],
  ] as const satisfies ReadonlyArray<FeedFile<IndicatorSnapshot>>;
  registerFeeds(indicatorFeeds, () => indicatorSnapshot(deps));
  app.get(
    '/api/v1/blocklist/rpz.zone',
    {
      schema: feedSchema(
        'The DNS RPZ zone as a master file (draft-vixie-dnsop-dns-rpz-00; text/dns, RFC 4027)',
        'text/dns; charset=utf-8',
      ),
    },
    async (request, reply) => {
      const zone = await currentZone(deps);
      const text = renderRpzZoneText(zone.domains, zone.settings, Math.max(zone.serial, 1));
      return sendFeed(request, reply, text, 'text/dns; charset=utf-8');
    },
  );

  app.get(
    '/api/v1/blocklist/rpz/omissions',
    bearerRoute(
      'blocklist',
      'Active entries the RPZ zone leaves out (refused by the guard or too long for the origin), with the rule (analyst/admin)',
      {
        response: { 200: ZoneOmissionsResponseSchema, ...editorErrors },
      },
    ),
    async (request) => {
      const actor = await auth.actorOf(request);
      const { origin, serial, omitted } = await zoneOmissions(deps, actor);
      return { origin, serial, omitted: omitted.map(presentOmission) };
    },
  );
  app.get(
    '/api/v1/blocklist/entries',
    bearerRoute(
      'blocklist',
      'Blocklist entries by ID, filtered by state, domain and source, paged with the total (analyst/admin)',
      {
        querystring: EntryListQuerySchema,
        response: { 200: EntryListResponseSchema, ...editorErrors },
      },
    ),
    async (request) => {
      const { items, ...page } = await listEntryPage(
        deps,
        await auth.actorOf(request),
        request.query,
      );
      return { entries: items.map(presentEntry), ...page };
    },
  );
  app.get(
    '/api/v1/blocklist/entries/:id',
    bearerRoute('blocklist', 'One blocklist entry with its audit trail (analyst/admin)', {
      params: EntryParamsSchema,
      response: { 200: EntryDetailResponseSchema, ...editorErrors },
    }),
    async (request) => {
      const actor = await auth.actorOf(request);
      const { entry, events } = await getEntry(deps, actor, request.params.id);
      return {
        entry: presentEntry(entry),
        events: events.map((e) => ({ type: e.type, actor: e.actor, at: e.at, data: e.data })),
      };
    },
  );
  app.post(
    '/api/v1/blocklist/entries',
    bearerRoute(
      'blocklist',
      'Propose blocking a domain (analyst/admin); the protection guard applies',
      {
        body: NewEntryBodySchema,
        response: { 201: EntryResponseSchema, ...editorErrors },
      },
    ),
    async (request, reply) => {
      const actor = await auth.actorOf(request);
      const entry = await proposeEntry(deps, actor, request.body);
      return reply.code(201).send({ entry: presentEntry(entry) });
    },
  );
  app.post(
    '/api/v1/blocklist/entries/from-case',
    bearerRoute(
      'blocklist',
      'Propose blocking the website of a confirmed-fraud case, in one action',
      {
        body: FromCaseBodySchema,
        response: { 200: FromCaseResponseSchema, 201: FromCaseResponseSchema, ...editorErrors },
      },
    ),
    async (request, reply) => {
      const actor = await auth.actorOf(request);
      const { caseId, ...options } = request.body;
      const result = await proposeFromCase(deps, actor, caseId, options);
      return reply
        .code(result.created ? 201 : 200)
        .send({ entry: presentEntry(result.entry), created: result.created });
    },
  );
  app.post(
    '/api/v1/blocklist/entries/:id/activate',
    bearerRoute('blocklist', 'Activate a proposed entry with its legal basis (analyst/admin)', {
      params: EntryParamsSchema,
      body: ActivateBodySchema,
      response: { 200: EntryResponseSchema, ...editorErrors },
    }),
    async (request) => {
      const actor = await auth.actorOf(request);
      return {
        entry: presentEntry(await activateEntry(deps, actor, request.params.id, request.body)),
      };
    },
  );
  app.post(
    '/api/v1/blocklist/entries/:id/:transition',
    bearerRoute(
      'blocklist',
      'Appeal, reinstate or lift an entry (analyst/admin); note required for appeal and lift',
      {
        params: TransitionParamsSchema,
        body: TransitionBodySchema,
        response: { 200: EntryResponseSchema, ...editorErrors },
      },
    ),
    async (request) => {
      const actor = await auth.actorOf(request);
      const { id, transition } = request.params;
      return {
        entry: presentEntry(await transitionEntry(deps, actor, id, transition, request.body.note)),
      };
    },
  );
}
