// Sealed record formats v1 and v2 (SPEC.md §7): a protected template inside authenticated
// encryption, bound to its context. Layout (offsets in bytes):
//   0 magic "TLSR" | 4 format version (1 or 2) | 5 algorithm | 6 storage key id (8)
//   14 key commitment (32) | 46 template block: parameter block (8), template key id (8),
//   mean id (8), salt id (16) | 86 template length u16 LE
//   v2 only: 88 record version u64 LE (1 .. 2^53 - 1)
//   then the nonce (24 for XChaCha20-Poly1305, 12 for AES-256-GCM-SIV), ciphertext || tag (16);
//   the record's length is exact, so nonce and ciphertext start at offsets divisible by 4.
// Sealing writes v2 (record version >= 1); v1 records still open, as record version 0.
// Decoding is strict: framing errors are MALFORMED / UNSUPPORTED_VERSION / UNKNOWN_KEY_ID, and
// every authentication failure is the one opaque DECRYPT_FAILED.
import { bytesToHex } from '@noble/hashes/utils.js';
import { TemplockError } from '../errors.js';
import {
  _encodeSealable, decodeBoundTemplate, decodeTemplate, SALT_MAX_BYTES, SALT_MIN_BYTES, TEMPLATE_FIXED_BYTES,
  type BoundTemplate, type ProtectedTemplate, type SealableTemplate,
} from '../template.js';
import {
  _bindingParamBlock, _bindingParamsFromHeader, _helperBytes, COMMITMENT_BYTES as BINDING_COMMITMENT_BYTES,
  FUZZY_COMMITMENT_ID, type FuzzyCommitmentParams,
} from '../transforms/fuzzy-commitment.js';
import { _paramBlock, PARAM_BLOCK_BYTES } from '../transforms/ids.js';
import { _schemeById, DIM_MAX, DIM_MIN } from '../transforms/registry.js';
import type { TransformParams } from '../transforms/scheme.js';
import { _aeadById, _aeadDecrypt, _aeadEncrypt, AEADS, decryptFailed, TAG_BYTES, type AeadName } from './aead.js';
import { _equalBytes } from '../bytes.js';
import { _saltIdBytes, SALT_ID_BYTES } from '../salt-id.js';
import { COMMITMENT_BYTES, KEY_ID_BYTES, type _SealKey } from './key-material.js';

/** "TLSR": the first four bytes of every sealed record. */
export const RECORD_MAGIC = Uint8Array.of(0x54, 0x4c, 0x53, 0x52);
/** The format version sealing writes. */
export const RECORD_VERSION = 2;
/** Largest record version (v2 stores it as u64 LE; it must stay an exact JavaScript number). */
export const RECORD_VERSION_MAX = Number.MAX_SAFE_INTEGER;

const OFF_ALG = 5;
const OFF_KEY_ID = 6;
const OFF_COMMIT = OFF_KEY_ID + KEY_ID_BYTES;
const OFF_BLOCK = OFF_COMMIT + COMMITMENT_BYTES;
const OFF_TKEY = OFF_BLOCK + PARAM_BLOCK_BYTES;
const OFF_MEAN = OFF_TKEY + 8;
const OFF_SALT_ID = OFF_MEAN + 8;
const OFF_LENGTH = OFF_SALT_ID + SALT_ID_BYTES;
/** Bytes before the nonce in format v1. */
export const RECORD_FIXED_BYTES = OFF_LENGTH + 2;
/** Offset of the record version in format v2, and the bytes before its nonce. */
const OFF_RECORD_VERSION = RECORD_FIXED_BYTES;
export const RECORD_V2_FIXED_BYTES = OFF_RECORD_VERSION + 8;

/**
 * Salt ids of a run of records, remembering the last salt: the records of one gallery share a
 * salt, so a load hashes it once. Holds a copy of that salt until wipe().
 */
export class _SaltIdMemo {
  #salt = new Uint8Array(0);
  #id: Uint8Array = new Uint8Array(0);

  idOf(salt: Uint8Array): Uint8Array {
    if (!_equalBytes(salt, this.#salt)) {
      this.#salt.fill(0);
      this.#salt = Uint8Array.from(salt);
      this.#id = _saltIdBytes(salt);
    }
    return this.#id;
  }

  wipe(): void {
    this.#salt.fill(0);
    this.#salt = new Uint8Array(0);
  }
}

/** Hex of the last storage key id parsed: records of a store name few keys. */
let lastKeyId = { bytes: new Uint8Array(KEY_ID_BYTES), hex: bytesToHex(new Uint8Array(KEY_ID_BYTES)) };

function keyIdHex(bytes: Uint8Array): string {
  if (!_equalBytes(bytes, lastKeyId.bytes)) lastKeyId = { bytes: Uint8Array.from(bytes), hex: bytesToHex(bytes) };
  return lastKeyId.hex;
}

/** What a record's header says, readable without any key. */
export interface RecordHeader {
  /** Format version: 1 or 2. */
  readonly version: number;
  /** Record version (SPEC.md §7.4): 1, 2, ... for format v2, 0 for a v1 record. */
  readonly recordVersion: number;
  readonly algorithm: AeadName;
  /** Id of the storage key that sealed it (16 hex characters). */
  readonly keyId: string;
  /** Parameters of the sealed template (a transform's, or key binding's). */
  readonly params: SealedParams;
  /** Application key id of the sealed template (hex). */
  readonly templateKeyId: string;
  /** Mean-vector id of the sealed template (hex). */
  readonly meanId: string;
  /** Salt id of the sealed template (32 hex characters). */
  readonly saltId: string;
}

/** A parsed record: the fields the opener needs, views into the record bytes. */
export interface _ParsedRecord {
  readonly algorithm: AeadName;
  /** Record version: 0 for format v1. */
  readonly version: number;
  /** Storage key id as hex (the keyring's lookup key). */
  readonly keyId: string;
  readonly params: SealedParams;
  readonly commitment: Uint8Array;
  /** Bytes authenticated as associated data after the context: magic through nonce. */
  readonly authenticated: Uint8Array;
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

function malformed(why: string): TemplockError {
  return new TemplockError('MALFORMED', `record: ${why}`);
}

/** Parameters of a template a record can hold: a transform's or key binding's. */
export type SealedParams = TransformParams | FuzzyCommitmentParams;

const paramsByBlock = new Map<string, SealedParams | null>();
let lastParams: { readonly block: Uint8Array; readonly params: SealedParams | null } | undefined;

/** Parameters of a canonical parameter block, or null; memoised (few distinct blocks exist). */
function paramsOf(block: Uint8Array): SealedParams | null {
  if (lastParams !== undefined && _equalBytes(block, lastParams.block)) return lastParams.params;
  const params = paramsOfBlock(block);
  lastParams = { block: Uint8Array.from(block), params };
  return params;
}

function paramsOfBlock(block: Uint8Array): SealedParams | null {
  const k = bytesToHex(block);
  const known = paramsByBlock.get(k);
  if (known !== undefined) return known;
  const dv = new DataView(block.buffer, block.byteOffset, PARAM_BLOCK_BYTES);
  const dim = dv.getUint16(1, true);
  const [a, b, c] = [dv.getUint16(3, true), dv.getUint16(5, true), block[7]!];
  let p: SealedParams | null = null;
  if (dim >= DIM_MIN && dim <= DIM_MAX) {
    if (block[0] === FUZZY_COMMITMENT_ID) {
      const params = _bindingParamsFromHeader(dim, a, b, c);
      if (params !== undefined && _equalBytes(_bindingParamBlock(params), block)) p = params;
    } else {
      const params = _schemeById(block[0]!)?.fromHeader(dim, { a, b, c });
      if (params !== undefined && _equalBytes(_paramBlock(params), block)) p = Object.freeze(params);
    }
  }
  if (paramsByBlock.size < 1024) paramsByBlock.set(k, p);
  return p;
}

/**
 * Parses and checks the framing of a record (no key involved). `maxFormat` 1 parses as a v1-only
 * opener would (record_v1.json is checked that way).
 */
export function _parseRecord(bytes: Uint8Array, maxFormat = RECORD_VERSION): _ParsedRecord {
  if (bytes.length < 5) throw malformed('truncated header');
  for (let i = 0; i < 4; i++) if (bytes[i] !== RECORD_MAGIC[i]) throw malformed('bad magic');
  const format = bytes[4]!;
  if (format < 1 || format > maxFormat) throw new TemplockError('UNSUPPORTED_VERSION', `record: unsupported format version ${format}`);
  const fixed = format === 1 ? RECORD_FIXED_BYTES : RECORD_V2_FIXED_BYTES;
  if (bytes.length < fixed) throw malformed('truncated header');
  const algorithm = _aeadById(bytes[OFF_ALG]!);
  if (!algorithm) throw malformed('unknown algorithm');
  const params = paramsOf(bytes.subarray(OFF_BLOCK, OFF_TKEY));
  if (!params) throw malformed('unknown scheme or parameters out of range');
  const payloadBytes = params.scheme === 'fuzzy-commitment' ? _helperBytes(params) + BINDING_COMMITMENT_BYTES : _schemeById(bytes[OFF_BLOCK]!)!.payloadBytes(params);
  const templateBytes = bytes[OFF_LENGTH]! | (bytes[OFF_LENGTH + 1]! << 8);
  if (templateBytes < TEMPLATE_FIXED_BYTES + SALT_MIN_BYTES + payloadBytes || templateBytes > TEMPLATE_FIXED_BYTES + SALT_MAX_BYTES + payloadBytes)
    throw malformed('template length out of range');
  const version = format === 1 ? 0 : recordVersionAt(bytes);
  const nonceEnd = fixed + AEADS[algorithm].nonceBytes;
  if (bytes.length < nonceEnd + templateBytes + TAG_BYTES) throw malformed('truncated ciphertext');
  if (bytes.length > nonceEnd + templateBytes + TAG_BYTES) throw malformed('trailing bytes');
  return {
    algorithm,
    version,
    keyId: keyIdHex(bytes.subarray(OFF_KEY_ID, OFF_COMMIT)),
    params,
    commitment: bytes.subarray(OFF_COMMIT, OFF_BLOCK),
    authenticated: bytes.subarray(0, nonceEnd),
    nonce: bytes.subarray(fixed, nonceEnd),
    sealed: bytes.subarray(nonceEnd),
  };
}

/** The v2 record version field: 1 .. 2^53 - 1, else MALFORMED. */
function recordVersionAt(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + OFF_RECORD_VERSION, 8);
  const lo = dv.getUint32(0, true), hi = dv.getUint32(4, true);
  if (hi > 0x1fffff || (hi === 0 && lo === 0)) throw malformed('record version out of range');
  return hi * 2 ** 32 + lo;
}

/**
 * Asserts that a parsed record has the version its opener expects (SPEC.md §7.4 rule 8): an older
 * (or newer) copy of a record is refused as ROLLBACK before any key is used.
 */
export function _expectVersion(rec: _ParsedRecord, expected: number): void {
  if (rec.version !== expected) throw new TemplockError('ROLLBACK', 'record: its version is not the current one');
}

/** Salt id (hex) of a parsed record. */
export function _recordSaltId(rec: _ParsedRecord): string {
  return bytesToHex(rec.authenticated.subarray(OFF_SALT_ID, OFF_LENGTH));
}

/** The public header of a parsed record. */
export function _recordHeader(rec: _ParsedRecord): RecordHeader {
  const a = rec.authenticated;
  return Object.freeze({
    version: rec.version === 0 ? 1 : 2,
    recordVersion: rec.version,
    algorithm: rec.algorithm,
    keyId: rec.keyId,
    params: rec.params,
    templateKeyId: bytesToHex(a.subarray(OFF_TKEY, OFF_MEAN)),
    meanId: bytesToHex(a.subarray(OFF_MEAN, OFF_SALT_ID)),
    saltId: _recordSaltId(rec),
  });
}

/** Scratch space for associated data: the AEAD reads it only during the call that receives it. */
let aadScratch = new Uint8Array(1024);

function associatedData(context: Uint8Array, authenticated: Uint8Array): Uint8Array {
  const n = context.length + authenticated.length;
  if (n > aadScratch.length) aadScratch = new Uint8Array(n);
  aadScratch.set(context, 0);
  aadScratch.set(authenticated, context.length);
  return aadScratch.subarray(0, n);
}

/**
 * Seals an encoded template under `key` with the given nonce (trusted inputs; the public
 * sealTemplate draws the nonce). `context` is the output of _encodeContext. `version` is the
 * record version (1 .. 2^53 - 1) of a v2 record; 0 writes format v1 (published v1 vectors and
 * migration tests only).
 */
export function _sealRecord(key: _SealKey, template: SealableTemplate, context: Uint8Array, nonce: Uint8Array, version: number): Uint8Array<ArrayBuffer> {
  const plaintext = _encodeSealable(template);
  const nonceBytes = AEADS[key.algorithm].nonceBytes;
  const fixed = version === 0 ? RECORD_FIXED_BYTES : RECORD_V2_FIXED_BYTES;
  const head = new Uint8Array(fixed + nonceBytes);
  head.set(RECORD_MAGIC, 0);
  head[4] = version === 0 ? 1 : 2;
  if (version > 0) {
    const dv = new DataView(head.buffer, OFF_RECORD_VERSION, 8);
    dv.setUint32(0, version % 2 ** 32, true);
    dv.setUint32(4, Math.floor(version / 2 ** 32), true);
  }
  head[OFF_ALG] = AEADS[key.algorithm].id;
  head.set(key.keyId, OFF_KEY_ID);
  head.set(key.commitment, OFF_COMMIT);
  head.set(plaintext.subarray(5, 5 + PARAM_BLOCK_BYTES), OFF_BLOCK);
  head.set(template.keyId, OFF_TKEY);
  head.set(template.meanId, OFF_MEAN);
  head.set(_saltIdBytes(template.salt), OFF_SALT_ID);
  head[OFF_LENGTH] = plaintext.length & 0xff;
  head[OFF_LENGTH + 1] = plaintext.length >>> 8;
  head.set(nonce, fixed);
  try {
    const sealed = _aeadEncrypt(key.algorithm, key.aeadKey, nonce, plaintext, associatedData(context, head));
    const out = new Uint8Array(head.length + sealed.length);
    out.set(head, 0);
    out.set(sealed, head.length);
    return out;
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Authenticates a parsed record under `key` (whose id matches) and `context`, checking the
 * commitment first and that the header names the sealed template; returns the template bytes,
 * not yet decoded (the caller decodes them with _decodeSealed and wipes them).
 */
export function _openRecordBytes(key: _SealKey, rec: _ParsedRecord, context: Uint8Array, saltIds?: _SaltIdMemo): Uint8Array {
  if (key.algorithm !== rec.algorithm || !_equalBytes(key.commitment, rec.commitment)) throw decryptFailed();
  const plaintext = _aeadDecrypt(key.algorithm, key.aeadKey, rec.nonce, rec.sealed, associatedData(context, rec.authenticated));
  // The template block repeats the template's parameter block (bytes 5..13), key id and mean id
  // (bytes 14..30) and its salt's id: a sealer cannot label a template as another.
  const a = rec.authenticated;
  const saltLen = plaintext[13]!;
  if (plaintext.length < TEMPLATE_FIXED_BYTES + saltLen || !_equalBytes(plaintext.subarray(5, 13), a.subarray(OFF_BLOCK, OFF_TKEY)) ||
    !_equalBytes(plaintext.subarray(14, 30), a.subarray(OFF_TKEY, OFF_SALT_ID)) ||
    !_equalBytes(saltIds ? saltIds.idOf(plaintext.subarray(30, 30 + saltLen)) : _saltIdBytes(plaintext.subarray(30, 30 + saltLen)), a.subarray(OFF_SALT_ID, OFF_LENGTH))) {
    plaintext.fill(0);
    throw malformed('header does not match the sealed template');
  }
  return plaintext;
}

/** Decodes the template bytes of an opened record into one kind of template. */
export type _SealedDecoder<T extends SealableTemplate> = (plaintext: Uint8Array) => T;

function decodeAs<T extends SealableTemplate>(bound: boolean, decode: (bytes: Uint8Array) => T): _SealedDecoder<T> {
  return (plaintext) => {
    if ((plaintext[5] === FUZZY_COMMITMENT_ID) !== bound) {
      throw new TemplockError('INCOMPATIBLE', bound ? 'record: holds a protected template, not a key-binding one' : 'record: holds a key-binding template (open it as one)');
    }
    try {
      return decode(plaintext);
    } catch {
      throw malformed('sealed template does not decode');
    }
  };
}

/**
 * Strictly decodes template bytes returned by _openRecordBytes as a protected template (MALFORMED
 * when they do not decode; INCOMPATIBLE when they hold a key-binding template).
 */
export const _decodeSealed: _SealedDecoder<ProtectedTemplate> = decodeAs(false, decodeTemplate);
/** As _decodeSealed, for a key-binding template (INCOMPATIBLE when they hold a protected one). */
export const _decodeSealedBound: _SealedDecoder<BoundTemplate> = decodeAs(true, decodeBoundTemplate);
/** Decodes either kind (verification and re-wrap, which handle every record). */
export const _decodeSealedAny: _SealedDecoder<SealableTemplate> = (plaintext) => (plaintext[5] === FUZZY_COMMITMENT_ID ? _decodeSealedBound : _decodeSealed)(plaintext);

/** Opens a parsed record under `key` (whose id matches) and `context`; checks the commitment first. */
export function _openRecord(key: _SealKey, rec: _ParsedRecord, context: Uint8Array, saltIds?: _SaltIdMemo): ProtectedTemplate;
export function _openRecord<T extends SealableTemplate>(key: _SealKey, rec: _ParsedRecord, context: Uint8Array, saltIds: _SaltIdMemo | undefined, decode: _SealedDecoder<T>): T;
export function _openRecord(key: _SealKey, rec: _ParsedRecord, context: Uint8Array, saltIds?: _SaltIdMemo, decode: _SealedDecoder<SealableTemplate> = _decodeSealed): SealableTemplate {
  const plaintext = _openRecordBytes(key, rec, context, saltIds);
  try {
    return decode(plaintext);
  } finally {
    plaintext.fill(0);
  }
}
