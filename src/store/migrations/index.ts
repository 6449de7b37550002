import type { Migration } from 'kysely';
import { initial } from './0001-initial.js';
import { events } from './0002-events.js';
import { evidence } from './0004-evidence.js';
import { identity } from './0005-identity.js';
import { workflow } from './0006-workflow.js';
import { noticeMonitoring } from './0007-notice-monitoring.js';
import { blocklist } from './0003-blocklist.js';
import { dedup } from './0009-dedup.js';
import { statistics } from './0008-statistics.js';
import { statsCompliance } from './0010-stats-compliance.js';
import { statsDaily } from './0013-stats-daily.js';
import { reportAttachments } from './0012-report-attachments.js';
import { caseViews } from './0011-case-views.js';
import { feedIndicators } from './0014-feed-indicators.js';
import { eventDisclosures } from './0015-event-disclosures.js';
import { noticeTargets } from './0016-notice-targets.js';
import { blocklistTreeKey } from './0017-blocklist-tree-key.js';
import { rpzJournalOrder } from './0018-rpz-journal-order.js';
import { noticeDelivery } from './0019-notice-delivery.js';
import { staffLists } from './0020-stafflists.js';
import { pii } from './0021-pii.js';
import { lookupChanges } from './0022-lookup-changes.js';
import { hashLists } from './0023-hash-lists.js';
import { sharedSecrets } from './0024-shared-secrets.js';
import { evidenceBlobContents } from './0025-evidence-blob-contents.js';
import { reportSources } from './0026-report-sources.js';
import { lineBot } from './0027-line-bot.js';
import { caseFollowers } from './0028-case-followers.js';
import { demoImports } from './0029-demo-imports.js';
import { statsPendingCases } from './0031-stats-pending-cases.js';
import { lookupNearDuplicates } from './0033-lookup-near-duplicates.js';
import { lineUsersFollowing } from './0034-line-users-following.js';
import { hashListHoldings } from './0035-hash-list-holdings.js';
import { logSequencer } from './0036-log-sequencer.js';

/** Every migration, by name; names sort in the order they must run. Never edit a shipped one. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-events': events,
  '0004-evidence': evidence,
  '0006-workflow': workflow,
  '0007-notice-monitoring': noticeMonitoring,
  '0003-blocklist': blocklist,
  '0005-identity': identity,
  '0009-dedup': dedup,
  '0008-statistics': statistics,
  '0010-stats-compliance': statsCompliance,
  '0013-stats-daily': statsDaily,
  '0011-case-views': caseViews,
  '0012-report-attachments': reportAttachments,
  '0014-feed-indicators': feedIndicators,
  '0015-event-disclosures': eventDisclosures,
  '0016-notice-targets': noticeTargets,
  '0017-blocklist-tree-key': blocklistTreeKey,
  '0018-rpz-journal-order': rpzJournalOrder,
  '0019-notice-delivery': noticeDelivery,
  '0020-stafflists': staffLists,
  '0021-pii': pii,
  '0022-lookup-changes': lookupChanges,
  '0023-hash-lists': hashLists,
  '0024-shared-secrets': sharedSecrets,
  '0025-evidence-blob-contents': evidenceBlobContents,
  '0026-report-sources': reportSources,
  '0027-line-bot': lineBot,
  '0028-case-followers': caseFollowers,
  '0029-demo-imports': demoImports,
  '0031-stats-pending-cases': statsPendingCases,
  '0033-lookup-near-duplicates': lookupNearDuplicates,
  '0034-line-users-following': lineUsersFollowing,
  '0035-hash-list-holdings': hashListHoldings,
  '0036-log-sequencer': logSequencer,
};
