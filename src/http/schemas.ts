import { Type } from '@sinclair/typebox';

import { DECIDED_VERDICTS, PLATFORMS, VERDICTS } from '../vocabulary/index.js';
/** A string schema limited to `values` (JSON Schema `enum`), typed as their union. */
export const literalUnion = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({
    type: 'string',
    enum: [...values],
    ...(description === undefined ? {} : { description }),
  });

/** A string or null (a column that may be empty). */
export const NullableString = Type.Union([Type.String(), Type.Null()]);

/** An integer or null. */
export const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

export const PlatformSchema = literalUnion(PLATFORMS, 'Platform carrying the content');
export const VerdictSchema = literalUnion(VERDICTS);
export const DecidedVerdictSchema = literalUnion(DECIDED_VERDICTS);
