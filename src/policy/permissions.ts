import { forbidden, unauthorized } from '../shared/errors.js';
import type { Role } from '../vocabulary/index.js';
import type { Actor, ActorOf } from './actor.js';

const STAFF = ['analyst', 'admin'] as const;
const ADMIN = ['admin'] as const;
const DECIDERS = ['verifier', 'analyst', 'admin'] as const;
const NOTICE_READERS = ['analyst', 'admin', 'platform_liaison'] as const;

/**
 * Every permission, the roles that hold it, and how a refusal names the action ("A reporter may
 * not <action>."). The one place that says who may do what (DESIGN.md roles); services call
 * `authorize` with these names and then scope what the role sees (a verifier's entities, a
 * platform liaison's platform) themselves.
 */
export const PERMISSIONS = {
  // identity
  'user.create': { roles: ADMIN, action: 'create users' },
  'user.list': { roles: ADMIN, action: 'list users' },
  'user.read': { roles: ADMIN, action: 'read users' },
  'user.update': { roles: ADMIN, action: 'change users' },
  'user.disable': { roles: ADMIN, action: 'disable or enable users' },
  'user.reset_password': { roles: ADMIN, action: 'reset passwords' },
  'api_key.create': { roles: ADMIN, action: 'create API keys' },
  'api_key.list': { roles: ADMIN, action: 'list API keys' },
  'api_key.revoke': { roles: ADMIN, action: 'revoke API keys' },
  'own_report.list': { roles: ['reporter'], action: 'list your reports' },
  // A reporter key issued for a source (identity/report-source.ts) checks the source itself.
  'source_report.batch': { roles: ['reporter'], action: 'send a batch of reports' },
  'source_report.list': { roles: ['reporter'], action: "list your source's reports" },
  // cases and verification
  'case.list': { roles: STAFF, action: 'list cases' },
  'case.read_personal_data': { roles: STAFF, action: "read a case's personal data" },
  'case.read_history': { roles: STAFF, action: "read a case's full history" },
  'case.decide': { roles: DECIDERS, action: 'decide a case' },
  'case.set_verdict': { roles: STAFF, action: 'set a verdict' },
  'case.answer_verifier': { roles: STAFF, action: 'answer a verifier' },
  'case.merge': { roles: STAFF, action: 'merge cases' },
  'case.split': { roles: STAFF, action: 'split cases' },
  'case.read_reports': { roles: STAFF, action: 'read the reports of a case' },
  'verification_queue.read': { roles: DECIDERS, action: 'read a verification queue' },
  'decision_history.read': { roles: DECIDERS, action: 'read a decision history' },
  'campaign.read': { roles: STAFF, action: 'see campaign graphs' },
  // triage and entities
  'triage.read': { roles: DECIDERS, action: 'read triage details' },
  'triage.override': { roles: STAFF, action: 'override triage' },
  'entity.read': { roles: DECIDERS, action: 'read the entity registry' },
  'entity.create': { roles: STAFF, action: 'add an entity' },
  'entity.update': { roles: STAFF, action: 'change an entity' },
  'routing_rule.read': { roles: STAFF, action: 'read the routing rules' },
  'routing_rule.update': { roles: ADMIN, action: 'change the routing rules' },
  // evidence
  'evidence.capture': { roles: STAFF, action: 'capture evidence' },
  'evidence.read': { roles: DECIDERS, action: 'read evidence' },
  // takedown
  'notice.send': { roles: STAFF, action: 'send takedown notices' },
  'notice.read': { roles: NOTICE_READERS, action: 'read takedown notices' },
  'notice.acknowledge': { roles: ['platform_liaison', 'admin'], action: 'acknowledge a notice' },
  'notice.report_outcome': { roles: NOTICE_READERS, action: 'report a notice outcome' },
  'delivery_channel.read': { roles: ADMIN, action: 'read delivery channels' },
  'delivery_channel.update': { roles: ADMIN, action: 'set delivery channels' },
  'compliance.read': { roles: NOTICE_READERS, action: 'read compliance figures' },
  'sanction_ledger.read': { roles: NOTICE_READERS, action: 'read the sanction ledger' },
  'sweep.run': { roles: ADMIN, action: 'run the sweep' },
  // blocklist
  'blocklist.propose': { roles: STAFF, action: 'propose a blocklist entry' },
  'blocklist.activate': { roles: STAFF, action: 'activate a blocklist entry' },
  'blocklist.transition': { roles: STAFF, action: 'change a blocklist entry' },
  'blocklist.read': { roles: STAFF, action: 'read blocklist entries' },
  'blocklist.read_omissions': {
    roles: STAFF,
    action: 'read the entries the RPZ zone leaves out',
  },
  'blocklist.import': { roles: STAFF, action: 'import blocklist entries' },
  // statistics
  'bulletin.edit': { roles: STAFF, action: 'edit bulletin reminders' },
  'bulletin.publish': { roles: STAFF, action: 'publish a bulletin' },
  'bulletin.read_reminders': { roles: STAFF, action: "read a bulletin's reminders" },
} as const satisfies Record<string, { roles: readonly Role[]; action: string }>;

/** A permission's name, e.g. `case.decide`. */
export type Permission = keyof typeof PERMISSIONS;

/** The roles that hold permission `P`. */
export type RolesWith<P extends Permission> = (typeof PERMISSIONS)[P]['roles'][number];

/** Whether `actor` holds `permission` (no throw: for views that show staff more). */
export function can(actor: Actor, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(actor.role);
}

/**
 * Throws unless `actor` holds `permission`: 401 `unauthorized` for the anonymous public (sign in
 * or send a token), 403 `forbidden` for a signed-in actor of another role. Narrows `actor` to the
 * roles that hold it.
 * @param action overrides the table's wording of the action in the refusal message.
 */
export function authorize<P extends Permission>(
  actor: Actor,
  permission: P,
  action: string = PERMISSIONS[permission].action,
): asserts actor is ActorOf<RolesWith<P>> {
  if (can(actor, permission)) return;
  if (actor.role === 'public') {
    throw unauthorized(`Sign in or send a bearer token to ${action}.`);
  }
  const article = /^[aeiou]/.test(actor.role) ? 'An' : 'A';
  throw forbidden(`${article} ${actor.role} may not ${action}.`);
}
