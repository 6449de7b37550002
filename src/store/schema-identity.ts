/**
 * Tables of the identity capability: people who sign in, their web sessions and the API keys of
 * machine clients, and the secrets every node shares. Passwords are stored as scrypt strings,
 * session tokens and API keys as SHA-256 hashes; a shared secret the first node generated is
 * stored as it is (the other nodes need it), a configured one only as its fingerprint.
 */
export interface IdentityTables {
  users: UsersTable;
  user_entities: UserEntitiesTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  api_key_entities: ApiKeyEntitiesTable;
  shared_secrets: SharedSecretsTable;
}

/** A secret every node must share (identity/shared-secrets.ts). */
export interface SharedSecretsTable {
  /** `log_signing_key`, `decision_link_secret` or `admin_token`. */
  name: string;
  /** Of the secret every node must hold (SHA-256 hex; the key ID for the log signing key). */
  fingerprint: string;
  /** The secret itself when the first node generated it; null when nodes configure it. */
  value: string | null;
  created_at: string;
}

export interface UsersTable {
  /** `U` + 16 Crockford base32 characters. */
  id: string;
  /** Lowercased; unique. */
  email: string;
  display_name: string;
  role: string;
  /** The one platform a `platform_liaison` acts for; null for every other role. */
  platform: string | null;
  /** `scrypt$N$r$p$salt$hash` (identity/password.ts). */
  password_hash: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  last_login_at: string | null;
}

/** The entities a `verifier` acts for (entity IDs of the entity registry; no foreign key). */
export interface UserEntitiesTable {
  user_id: string;
  entity_id: string;
}

export interface SessionsTable {
  /** Lowercase hex SHA-256 of the session token the cookie carries. */
  token_hash: string;
  user_id: string;
  /** Sent back in `x-csrf-token` on unsafe methods; useless without the cookie. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ApiKeysTable {
  /** The key's public prefix (`snk_<id>_<secret>`), 10 lowercase Crockford base32 characters. */
  id: string;
  name: string;
  role: string;
  platform: string | null;
  /** Lowercase hex SHA-256 of the whole key. */
  key_hash: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The source its reports come from (SOURCE_KINDS, migration 0026); null: `citizen`. */
  source_kind: string | null;
  /** The source's name (`[a-z0-9_.-]`, as an importer's), set with a non-citizen kind. */
  source_name: string | null;
}

export interface ApiKeyEntitiesTable {
  api_key_id: string;
  entity_id: string;
}
