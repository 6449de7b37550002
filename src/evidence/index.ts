export {
  canonicalJson,
  listEvents,
  recordEvent,
  type AuditEvent,
  type StoredEvent,
  type SubjectType,
} from './events.js';
