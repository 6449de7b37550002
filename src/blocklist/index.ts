// Public API of the blocklist capability: other capabilities import only from here.
export {
  BLOCKLIST_IMPORT_BATCH,
  importEntries,
  type BlocklistImportRow,
  type BlocklistImportSummary,
} from './import.service.js';
export { getEntry, listEntries, listEntryPage, publishedEntries } from './entries.service.js';
export { checkBlockDomain, type ActivationInput, type NewEntryInput } from './entry-checks.js';
export {
  blocklistDomains,
  feedSnapshot,
  indicatorSnapshot,
  type FeedSnapshot,
  type IndicatorSnapshot,
} from './feed-snapshots.service.js';
export { proposeEntry, proposeFromCase } from './proposals.service.js';
export {
  activateEntry,
  expireDueEntries,
  transitionEntry,
  type EntryTransition,
} from './transitions.service.js';
export {
  currentSerial,
  currentZone,
  ensureZonePolicy,
  storedZone,
  zoneDiffSince,
  zoneOmissions,
  type ZoneDiff,
  type ZoneHead,
  type ZoneOmission,
  type ZoneSnapshot,
} from './zone.service.js';
export { zoneSettings } from './zone-rules.js';
export {
  ENTRY_STATES,
  LEGAL_BASES,
  isEntryState,
  isLegalBasisKind,
  type BlocklistEntry,
  type EntryState,
  type LegalBasis,
  type LegalBasisKind,
} from './blocklist.types.js';
export { registerBlocklistRoutes } from './blocklist.routes.js';
export {
  CSV_COLUMNS,
  IndicatorContentSchema,
  MISP_EVENT_UUID,
  adblockFeed,
  csvFeed,
  hostsFeed,
  jsonFeed,
  mispAttributeUuid,
  mispEvent,
  mispHashes,
  mispManifest,
  nextVersionTime,
  planIndicators,
  stixBundle,
  stixPattern,
  uuidV5,
  wantedIndicators,
  type EndedEntry,
  type FeedContext,
  type FeedEntry,
  type FeedIndicator,
  type IndicatorContent,
  type IndicatorFeedContext,
  type IndicatorKind,
  type IndicatorPlan,
  type JsonFeedContext,
  type WantedIndicator,
} from './feeds.js';
export {
  BLOCKLIST_IMPORT_FORMATS,
  detectBlocklistFormat,
  readBlocklistFile,
  rocYearMonth,
  type BlocklistImportFormat,
  type BlocklistImportOptions,
  type CommandLineBasis,
} from './blocklist.importers.js';
export {
  RPZ_SOA_TIMERS,
  ancestorNames,
  isPublishedName,
  maxBlockedDomainLength,
  nextSerial,
  renderRpzZone,
  renderRpzZoneText,
  rpzPolicy,
  rpzSoa,
  rpzNameRefusal,
  rpzNameSet,
  rpzTarget,
  rpzTriggerNames,
  type RpzNameRules,
  type RpzNameSet,
  type RpzOmission,
  type RpzOmissionRule,
  serialCompare,
  type RpzSoa,
  type RpzZoneSettings,
} from './rpz.js';
