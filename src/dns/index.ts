// The DNS side of scamnet: the RPZ zone served by SOA, AXFR, IXFR and NOTIFY, with TSIG.
export { RpzDnsServer, type RpzServerAddress, type ZoneTransferRecord } from './rpz-server.js';
export { type NotifyOutcome } from './notifier.js';
export {
  appendTsig,
  signMessage,
  splitTsig,
  TSIG_ERROR,
  TSIG_FUDGE_SECONDS,
  verifyRequest,
  type SignOptions,
  type TsigRecord,
  type TsigVerification,
} from './tsig.js';
export {
  FLAG,
  MessageWriter,
  nameKey,
  parseMessage,
  readSoa,
  RR_CLASS,
  RR_TYPE,
  textName,
  WireFormatError,
  type OutOpt,
  type OutRecord,
  type WireMessage,
  type WireName,
  type WireQuestion,
} from './wire.js';
