// Public API of the indicator engine: other capabilities import only from here.
export {
  canonicalUrl,
  canonicalUrlParts,
  splitCanonicalUrl,
  type CanonicalUrlParts,
} from './canonicalize-url.js';
export { lookupExpressions } from './expressions.js';
export {
  extractIndicators,
  ipIndicatorValue,
  type ExtractOptions,
  type Indicator,
} from './extract.js';
export { canonicalBankAccount, TW_BANK_CODES } from './bank-account.js';
export { canonicalCryptoAddress, type CryptoAddressKind } from './crypto-address.js';
export { canonicalLineId, lineIdVariants } from './line-id.js';
export {
  confusableSkeleton,
  foldLookalikeLetters,
  lookalike,
  type LookalikeReason,
  type LookalikeResult,
} from './lookalike.js';
export {
  matchKey,
  SHORTENER_HOSTS,
  TRACKING_PARAMETERS,
  type MatchKeyResult,
} from './match-key.js';
export { canonicalPhone, DEFAULT_PHONE_REGION, isPhoneRegion, type CountryCode } from './phone.js';
export {
  analysePersonalData,
  applyRedaction,
  findPersonalData,
  isTaiwanIdNumber,
  PERSONAL_DATA_KINDS,
  REDACTION_MARK_PATTERN,
  REDACTION_MARKS,
  REDACTION_POLICIES,
  redactPersonalData,
  selfDisclosedIndicators,
  type PersonalDataAnalysis,
  type PersonalDataKind,
  type PersonalDataOptions,
  type PersonalDataSpan,
  type RedactionPolicy,
} from './personal-data.js';
export { contentIdentifiers, platformOf, type ContentIdentifier } from './platform.js';
export { registrableDomain } from './registrable-domain.js';
export { rfc3986Uri } from './uri.js';
export {
  PROTECTION_RULES,
  blockRefusal,
  normalizeBlockDomain,
  protectionRulesVersion,
  siteWideRefusal,
  type ProtectionRefusal,
  type ProtectionRule,
} from './protection.js';
export { reportedSite, type ReportedSite } from './reported-site.js';
