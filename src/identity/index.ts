export { AdminTokenAuthenticator, resolveAdminToken } from './admin-token.js';
export { checkSecretFiles, decisionLinkSecretFileSpec, resolveSecret } from './secret-files.js';
export { Authenticator, type Credential } from './authenticator.js';
export { CSRF_HEADER, SESSION_COOKIE } from './credentials.js';
export {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyView,
  type NewApiKeyInput,
} from './api-keys.service.js';
export {
  createUser,
  findUserIdByIdOrEmail,
  getUser,
  listUsers,
  resetPassword,
  setUserDisabled,
  updateUser,
  type NewUserInput,
  type UserAccount,
  type UserChanges,
  type UserProfile,
} from './users.service.js';
export { signIn, signOut } from './sessions.service.js';
export {
  SOURCE_REPORTS_LIMIT,
  SOURCE_REPORTS_MAX,
  listMyReports,
  listSourceReports,
  type MyReport,
  type SourceReport,
  type SourceReportPage,
} from './my-reports.js';
export {
  CITIZEN_SOURCE,
  KEY_SOURCE_KINDS,
  normaliseKeySource,
  reportSourceOf,
  type ReportSource,
} from './report-source.js';
export { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './password.js';
export { ACCOUNT_ROLES, isAccountRole, userIdOf, type AccountRole } from './scope.js';
export { registerIdentityRoutes } from './identity.routes.js';
export { shareSecrets } from './shared-secrets.js';
