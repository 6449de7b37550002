export { normaliseText, textFingerprint } from './fingerprint.js';
export type { Replacement } from './fingerprint.js';
