export {
  loadConfig,
  loadCliConfig,
  withSharedSecrets,
  parseDatabaseUrl,
  ConfigError,
  MIN_ADMIN_TOKEN_LENGTH,
  MIN_DECISION_LINK_SECRET_LENGTH,
} from './config.js';
export type { Config, StoreConfig } from './config.js';
export type {
  BlocklistConfig,
  CidrConfig,
  DnsConfig,
  HashListsConfig,
  LineConfig,
  RpzActionConfig,
  TsigKeyConfig,
  WebPushConfig,
} from './config.js';
export {
  DEFAULT_SANCTION_SCHEDULE,
  publicBaseUrlWarnings,
  publicLinkBase,
  type SanctionStep,
  type WorkflowConfig,
} from './workflow-config.js';
export { DEFAULT_PROTECTED_DOMAINS } from './protected-domains.js';
