import { createHash } from 'node:crypto';

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32_ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32_CONSTANT = 1;
const BECH32M_CONSTANT = 0x2bc830a3;

/** Kinds of crypto-currency address extracted from text. */
export type CryptoAddressKind = 'btc_base58' | 'btc_bech32' | 'eth' | 'tron';

function base58Decode(text: string): Uint8Array | null {
  const littleEndian: number[] = [];
  for (const char of text) {
    let carry = BASE58_ALPHABET.indexOf(char);
    if (carry < 0) return null;
    for (let i = 0; i < littleEndian.length; i++) {
      carry += (littleEndian[i] ?? 0) * 58;
      littleEndian[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      littleEndian.push(carry & 0xff);
      carry >>= 8;
    }
  }
  let leadingZeros = 0;
  while (text[leadingZeros] === '1') leadingZeros++;
  return Uint8Array.from([...new Array<number>(leadingZeros).fill(0), ...littleEndian.reverse()]);
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Base58Check: 21-byte payload + 4-byte double-SHA-256 checksum; returns the version byte. */
function base58CheckVersion(text: string): number | null {
  const decoded = base58Decode(text);
  if (decoded === null || decoded.length !== 25) return null;
  const payload = decoded.subarray(0, 21);
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  for (let i = 0; i < 4; i++) if (checksum[i] !== decoded[21 + i]) return null;
  return decoded[0] ?? null;
}

function bech32Polymod(values: number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    BECH32_GENERATORS.forEach((generator, i) => {
      if ((top >>> i) & 1) checksum ^= generator;
    });
  }
  return checksum >>> 0;
}

/** BIP 173 (bech32, witness v0) / BIP 350 (bech32m, v1+) checksum check of a `bc1…` address. */
function isValidBech32Address(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower !== address && address.toUpperCase() !== address) return false;
  const separator = lower.lastIndexOf('1');
  const hrp = lower.slice(0, separator);
  if (hrp !== 'bc') return false;
  const data: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const value = BECH32_ALPHABET.indexOf(char);
    if (value < 0) return false;
    data.push(value);
  }
  if (data.length < 7) return false;
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...hrp].map((c) => c.charCodeAt(0) & 31));
  const polymod = bech32Polymod([...expanded, ...data]);
  const version = data[0] ?? -1;
  return version === 0
    ? polymod === BECH32_CONSTANT
    : polymod === BECH32M_CONSTANT && version <= 16;
}

/**
 * Validates and canonicalises a crypto-currency address: Bitcoin Base58Check P2PKH/P2SH
 * (`1…`/`3…`, version 0x00/0x05, case kept), Bitcoin bech32/bech32m segwit (`bc1…`, BIP 173/350,
 * lower-cased), Ethereum (`0x` + 40 hex, lower-cased; the EIP-55 mixed-case checksum is not
 * checked), TRON (`T…`, Base58Check version 0x41, case kept). Returns `null` when `raw` is none of
 * these or its checksum fails. Never throws.
 */
export function canonicalCryptoAddress(
  raw: string,
): { kind: CryptoAddressKind; value: string } | null {
  try {
    const text = raw.trim();
    if (/^0x[0-9a-fA-F]{40}$/.test(text)) return { kind: 'eth', value: text.toLowerCase() };
    if (/^bc1[02-9ac-hj-np-z]{11,71}$/i.test(text)) {
      return isValidBech32Address(text) ? { kind: 'btc_bech32', value: text.toLowerCase() } : null;
    }
    if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(text)) {
      return base58CheckVersion(text) === 0x41 ? { kind: 'tron', value: text } : null;
    }
    if (/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(text)) {
      const version = base58CheckVersion(text);
      return version === 0x00 || version === 0x05 ? { kind: 'btc_base58', value: text } : null;
    }
    return null;
  } catch {
    return null;
  }
}
