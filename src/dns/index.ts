// The DNS side of scamnet: the RPZ zone served by SOA, AXFR, IXFR and NOTIFY, with TSIG.
export { RpzDnsServer, type RpzServerAddress, type ZoneTransferRecord } from './rpz-server.js';
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
