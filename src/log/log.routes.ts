import { ErrorResponseSchema } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { badRequest } from '../shared/errors.js';
import {
  ConsistencyProofSchema,
  ConsistencyQuerySchema,
  EntriesQuerySchema,
  EntriesResponseSchema,
  InclusionProofSchema,
  InclusionQuerySchema,
  LogKeySchema,
  TreeHeadStatusSchema,
} from './log.schemas.js';
import {
  getConsistencyProof,
  getEntries,
  getInclusionProof,
  getLogPublicKey,
} from './log.service.js';
import { getTreeHeadStatus } from './sequencer.js';
import { fromHex } from './merkle.js';

const optionalNumber = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number(value);

const errors = { 400: ErrorResponseSchema, 404: ErrorResponseSchema };

/**
 * The public, read-only Merkle log API (RFC 9162): `GET /api/v1/log/key`, `/sth`,
 * `/proof/inclusion?leaf|event|hash=…&size=…`, `/proof/consistency?first=…&second=…`,
 * `/entries?start=…&end=…`. Anyone may call them; nothing here needs credentials.
 */
export function registerLogRoutes(app: App, { deps }: RouteContext): void {
  app.get(
    '/api/v1/log/key',
    {
      schema: {
        tags: ['log'],
        summary: 'The Ed25519 public key that signs tree heads',
        response: { 200: LogKeySchema },
      },
    },
    async () => getLogPublicKey(deps),
  );

  app.get(
    '/api/v1/log/sth',
    {
      schema: {
        tags: ['log'],
        summary:
          'The latest signed tree head (signed now when the log has grown), and the committed events not yet integrated',
        response: { 200: TreeHeadStatusSchema },
      },
    },
    async () => getTreeHeadStatus(deps),
  );

  app.get(
    '/api/v1/log/proof/inclusion',
    {
      schema: {
        tags: ['log'],
        summary: 'Inclusion proof of one leaf (by leaf index, event sequence number or leaf hash)',
        querystring: InclusionQuerySchema,
        response: { 200: InclusionProofSchema, ...errors },
      },
    },
    async (request) => {
      const { leaf, event, hash } = request.query;
      const size = optionalNumber(request.query.size);
      const given = [leaf, event, hash].filter((v) => v !== undefined).length;
      if (given !== 1) {
        throw badRequest('leaf_required', 'Give exactly one of leaf, event or hash.', 'leaf');
      }
      if (leaf !== undefined) return getInclusionProof(deps, { leafIndex: Number(leaf) }, size);
      if (event !== undefined) return getInclusionProof(deps, { eventSeq: Number(event) }, size);
      const leafHash = fromHex(hash ?? '');
      if (leafHash === undefined) throw badRequest('invalid_hash', 'hash must be hex.', 'hash');
      return getInclusionProof(deps, { leafHash }, size);
    },
  );

  app.get(
    '/api/v1/log/proof/consistency',
    {
      schema: {
        tags: ['log'],
        summary: 'Consistency proof between two tree sizes',
        querystring: ConsistencyQuerySchema,
        response: { 200: ConsistencyProofSchema, ...errors },
      },
    },
    async (request) =>
      getConsistencyProof(deps, Number(request.query.first), optionalNumber(request.query.second)),
  );

  app.get(
    '/api/v1/log/entries',
    {
      schema: {
        tags: ['log'],
        summary: 'Log entries start..end inclusive (at most 1,000), with their leaf inputs',
        querystring: EntriesQuerySchema,
        response: { 200: EntriesResponseSchema, ...errors },
      },
    },
    async (request) => ({
      entries: await getEntries(deps, Number(request.query.start), Number(request.query.end)),
    }),
  );
}
