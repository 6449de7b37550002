/** Entity kinds (DESIGN.md): who can be impersonated and can confirm. */
export const ENTITY_KINDS = ['public_figure', 'company', 'agency'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** `any`: some entity is impersonated; `none`: none is. */
export const IMPERSONATED_KINDS = [...ENTITY_KINDS, 'any', 'none'] as const;
export type ImpersonatedKind = (typeof IMPERSONATED_KINDS)[number];
