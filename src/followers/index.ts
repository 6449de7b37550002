export { registerFollowerRoutes } from './followers.routes.js';
export {
  caseUpdateMessage,
  followCase,
  unfollowAsLineUser,
  unfollowCase,
  FOLLOWER_CHANNELS,
  FOLLOWER_LANGUAGES,
  MAX_FOLLOWERS_PER_CASE,
  NOTIFIED_STATUSES,
  type CaseUpdateMessage,
  type FollowerChannel,
  type FollowerLanguage,
  type Following,
} from './followers.service.js';
export {
  deliverCaseUpdates,
  FOLLOWER_MAX_ATTEMPTS,
  FOLLOWER_RETRY_DELAYS_MS,
  type FollowerDeliveryResult,
  type FollowerSenders,
  type LinePushSender,
} from './delivery.js';
export {
  caseStatusOf,
  deliveriesOfCase,
  followersOfCase,
  moveCaseFollowers,
} from './followers.repo.js';
export {
  generateVapidKeys,
  sendWebPush,
  WEB_PUSH_TTL_SECONDS,
  type SendOutcome,
} from './web-push.js';
export { validateSubscription, type PushSubscriptionJson } from './subscription.js';
