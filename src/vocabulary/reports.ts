/** How a report can be sent to `POST /api/v1/reports`. */
export const SUBMIT_CHANNELS = ['web', 'api', 'line', 'app'] as const;
export type SubmitChannel = (typeof SUBMIT_CHANNELS)[number];

/** How a report reached scamnet: sent, or `import`ed from a file. */
export const CHANNELS = [...SUBMIT_CHANNELS, 'import'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Report sources scamnet names itself: `citizen` (the public report form and API), the importers'
 * defaults `cofacts` and `tw165`, and `blocklistproject` (the demo's domain lists). A source is
 * otherwise a free name (an importer's `--source`); pages show these by a label of their own.
 */
export const KNOWN_SOURCES = ['citizen', 'cofacts', 'tw165', 'blocklistproject'] as const;
export type KnownSource = (typeof KNOWN_SOURCES)[number];

/** What a reporter may leave to be reached on: an e-mail address or a phone number. */
export const REPORTER_CONTACT_TYPES = ['email', 'phone'] as const;
export type ReporterContactType = (typeof REPORTER_CONTACT_TYPES)[number];

/**
 * Who a report comes from (issue 15): `citizen` (the public form and API, signed-in reporters),
 * `scanner` (the ad-library scanner's feed), `public_figure` (the impersonated person's or
 * company's own channel: a verifier of an entity), `agency`, `local_government`, `partner`
 * (fact-checkers, security vendors, caller-ID apps; also every file import by default) and
 * `line_bot`. It comes from the credential (an API key is issued for a source), never from a
 * request body.
 */
export const SOURCE_KINDS = [
  'citizen',
  'scanner',
  'public_figure',
  'agency',
  'local_government',
  'partner',
  'line_bot',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The source kinds' names, as statistics and the bulletin show them (民眾 / AI 掃描 / 公眾人物 …). */
export const SOURCE_KIND_NAMES: Readonly<Record<SourceKind, { 'zh-TW': string; en: string }>> = {
  citizen: { 'zh-TW': '民眾', en: 'Citizens' },
  scanner: { 'zh-TW': 'AI 掃描', en: 'AI scanning' },
  public_figure: { 'zh-TW': '公眾人物', en: 'Public figures' },
  agency: { 'zh-TW': '政府機關', en: 'Government agencies' },
  local_government: { 'zh-TW': '地方政府', en: 'Local governments' },
  partner: { 'zh-TW': '合作夥伴', en: 'Partners' },
  line_bot: { 'zh-TW': 'LINE 機器人', en: 'LINE bot' },
};

/** Type guard for stored or submitted source kinds. */
export function isSourceKind(value: string): value is SourceKind {
  return (SOURCE_KINDS as readonly string[]).includes(value);
}
