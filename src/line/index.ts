export {
  EVENT_MAX_ATTEMPTS,
  EVENT_RETRY_MS,
  LineBot,
  LineWebhookBodySchema,
  OFFER_KEEP_MS,
  OFFER_PAIRING_MS,
  STALE_CLAIM_MS,
  configuredLineApi,
  followerSendersOf,
  lineFollowerSender,
  pushToLineUser,
  type LineBotOptions,
  type LineWebhookBody,
} from './line-bot.service.js';
export { LINE_API_TIMEOUT_MS, LineApiError, lineApiOf, type LineApi } from './line-api.js';
export { LINE_WEBHOOK_BODY_LIMIT, registerLineRoutes } from './line.routes.js';
export { linePseudonym } from './pseudonym.js';
export { lineLanguageOf, parsePostback, POSTBACK, type LineLanguage } from './messages.js';
export { findLineUser, findWebhookEvent, reportPseudonym } from './line.repo.js';
