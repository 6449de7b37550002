/** Roles (DESIGN.md): who may do what is decided in the services from these. */
export const ROLES = [
  'public',
  'reporter',
  'verifier',
  'analyst',
  'platform_liaison',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];
