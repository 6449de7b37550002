import { Type, type Static } from '@sinclair/typebox';

const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' });
const Size = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const SignedTreeHeadSchema = Type.Object(
  {
    treeSize: Size,
    timestamp: Type.Integer({ minimum: 0, description: 'ms since the Unix epoch (signed)' }),
    signedAt: Type.String({ format: 'date-time' }),
    rootHash: Hash,
    signature: Type.String({
      pattern: '^[0-9a-f]{128}$',
      description: 'Ed25519 over RFC 9162 TreeHeadDataV2, hex',
    }),
    keyId: Hash,
  },
  { description: 'A signed tree head (RFC 9162 §4.10, Ed25519)' },
);
export type SignedTreeHeadJson = Static<typeof SignedTreeHeadSchema>;

/** GET /api/v1/log/sth: the signed tree head and how far the log has integrated (sequencer.ts). */
export const TreeHeadStatusSchema = Type.Composite(
  [
    SignedTreeHeadSchema,
    Type.Object({
      pendingEvents: Type.Integer({
        minimum: 0,
        maximum: 10_000,
        description:
          'Committed events not yet in the tree (the merge delay: the sequencer appends them), counted up to 10,000',
      }),
      oldestPendingAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
        description: 'When the oldest of them was recorded, or null when none waits',
      }),
      oldestPendingAgeMs: Type.Integer({
        minimum: 0,
        description: 'Its age, ms (0 when none waits)',
      }),
      sequenceIntervalMs: Type.Integer({
        minimum: 1,
        description:
          'How often the sequencer integrates events and signs a tree head (LOG_SEQUENCE_MS)',
      }),
    }),
  ],
  {
    description:
      'A signed tree head (RFC 9162 §4.10, Ed25519) and the committed events not yet integrated',
  },
);

export const LogKeySchema = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  publicKeyPem: Type.String({ description: 'SubjectPublicKeyInfo PEM (RFC 8410)' }),
  keyId: Hash,
  signedData: Type.String(),
});

/**
 * A non-negative integer in a query string (the app does not coerce types, so query values are
 * strings; routes convert them with Number()).
 */
const QueryInt = (description: string) =>
  Type.String({ pattern: '^(0|[1-9][0-9]{0,14})$', description });

export const InclusionQuerySchema = Type.Object(
  {
    leaf: Type.Optional(QueryInt('Leaf index (0-based)')),
    event: Type.Optional(QueryInt('Audit event sequence number')),
    hash: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'Leaf hash' })),
    size: Type.Optional(QueryInt('Tree size (default: latest signed tree head)')),
  },
  { additionalProperties: false },
);

export const InclusionProofSchema = Type.Object({
  leafIndex: Size,
  treeSize: Size,
  leafHash: Hash,
  proof: Type.Array(Hash, { description: 'Audit path, leaf upward (RFC 9162 §2.1.3.1)' }),
  signedTreeHead: Type.Union([SignedTreeHeadSchema, Type.Null()]),
});
export type InclusionProofJson = Static<typeof InclusionProofSchema>;

export const ConsistencyQuerySchema = Type.Object(
  {
    first: QueryInt('The smaller tree size (≥ 1)'),
    second: Type.Optional(QueryInt('The larger tree size (default: latest signed tree head)')),
  },
  { additionalProperties: false },
);

export const ConsistencyProofSchema = Type.Object({
  first: Size,
  second: Size,
  proof: Type.Array(Hash, { description: 'RFC 9162 §2.1.4.1, smaller tree upward' }),
  firstTreeHead: Type.Union([SignedTreeHeadSchema, Type.Null()]),
  secondTreeHead: Type.Union([SignedTreeHeadSchema, Type.Null()]),
});
export type ConsistencyProofJson = Static<typeof ConsistencyProofSchema>;

export const EntriesQuerySchema = Type.Object(
  {
    start: QueryInt('First leaf index'),
    end: QueryInt('Last leaf index, inclusive; at most 1,000 entries are returned'),
  },
  { additionalProperties: false },
);

export const LogEntrySchema = Type.Object({
  leafIndex: Size,
  leafHash: Hash,
  leafInput: Type.String({ description: 'RFC 8785 canonical JSON of the event (UTF-8)' }),
  eventSeq: Type.Integer({ minimum: 1 }),
});
export type LogEntryJson = Static<typeof LogEntrySchema>;

export const EntriesResponseSchema = Type.Object({ entries: Type.Array(LogEntrySchema) });
