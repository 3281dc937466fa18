// Protected-template format v1 (SPEC.md §5): a canonical little-endian binary encoding of
// scheme, parameters, salt, key identifier, mean identifier and payload, for the comparable
// transforms (ids 1–3) and for key binding (id 4). Both decoders are strict and total: any byte
// string either decodes or raises TemplockError MALFORMED / UNSUPPORTED_VERSION, and they
// allocate nothing beyond the input they were given.
import { TemplockError } from './errors.js';
import { _paramBlock, PARAM_BLOCK_BYTES } from './transforms/ids.js';
import { _schemeById, _schemeOf, checkParams, DIM_MAX, DIM_MIN } from './transforms/registry.js';
import type { TransformParams } from './transforms/scheme.js';
import { aBytes } from './validate.js';
import {
  _bindingParamBlock, _bindingParamsFromHeader, _helperBits, _helperBytes, checkBindingParams, COMMITMENT_BYTES,
  FUZZY_COMMITMENT_ID, type FuzzyCommitmentParams,
} from './transforms/fuzzy-commitment.js';

/** A protected template: public, revocable, comparable only with templates of the same key and parameters. */
export interface ProtectedTemplate {
  readonly params: TransformParams;
  /** 16–32 public random bytes; a new salt gives an unlinkable template. */
  readonly salt: Uint8Array;
  /** 8-byte identifier of the application key (not the key). */
  readonly keyId: Uint8Array;
  /** 8-byte identifier of the centring mean vector, all zero when not centred. */
  readonly meanId: Uint8Array;
  readonly payload: Uint8Array;
}

/** "TLPT": the first four bytes of every v1 template. */
export const TEMPLATE_MAGIC = Uint8Array.of(0x54, 0x4c, 0x50, 0x54);
export const TEMPLATE_VERSION = 1;
export const SALT_MIN_BYTES = 16;
export const SALT_MAX_BYTES = 32;
/** Bytes before the salt: magic 4, version 1, parameter block 8, salt length 1, key id 8, mean id 8. */
export const TEMPLATE_FIXED_BYTES = 4 + 1 + PARAM_BLOCK_BYTES + 1 + 8 + 8;

/**
 * Encodes a template in format v1.
 * @example
 * import { protect, encodeTemplate } from 'templock';
 * const bytes = encodeTemplate(protect(embedding, params, key, salt));
 */
export function encodeTemplate(t: ProtectedTemplate): Uint8Array<ArrayBuffer> {
  if (typeof t !== 'object' || t === null) throw new TypeError(`"template" expected object, got ${t === null ? 'null' : typeof t}`);
  const params = checkParams(t.params);
  const salt = aBytes('template.salt', t.salt, SALT_MIN_BYTES, SALT_MAX_BYTES);
  const keyId = aBytes('template.keyId', t.keyId, 8);
  const meanId = aBytes('template.meanId', t.meanId, 8);
  const s = _schemeOf(params);
  const payload = aBytes('template.payload', t.payload, s.payloadBytes(params));
  if (!s.payloadValid(params, payload)) throw new RangeError('"template.payload" holds values out of range for its parameters');
  return writeTemplate(_paramBlock(params), salt, keyId, meanId, [payload]);
}

function malformed(why: string): TemplockError {
  return new TemplockError('MALFORMED', `template: ${why}`);
}

/** Header checks shared by both decoders (SPEC.md §5 rules 1–5): a DataView of the bytes. */
function readHeader(bytes: Uint8Array): DataView {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"bytes" expected Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 5) throw malformed('truncated header');
  for (let i = 0; i < 4; i++) if (bytes[i] !== TEMPLATE_MAGIC[i]) throw malformed('bad magic');
  if (bytes[4] !== TEMPLATE_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `template: unsupported format version ${bytes[4]}`);
  if (bytes.length < TEMPLATE_FIXED_BYTES) throw malformed('truncated header');
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The fixed header fields and salt of an encoding, then the payload. */
function writeTemplate(block: Uint8Array, salt: Uint8Array, keyId: Uint8Array, meanId: Uint8Array, payload: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const size = payload.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(TEMPLATE_FIXED_BYTES + salt.length + size);
  out.set(TEMPLATE_MAGIC, 0);
  out[4] = TEMPLATE_VERSION;
  out.set(block, 5);
  out[13] = salt.length;
  out.set(keyId, 14);
  out.set(meanId, 22);
  out.set(salt, 30);
  let o = 30 + salt.length;
  for (const p of payload) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Decodes a v1 template strictly. The result's byte fields are copies, not views of `bytes`.
 * @throws TemplockError MALFORMED (bad framing, parameters, lengths or payload values) or UNSUPPORTED_VERSION.
 * @example
 * import { decodeTemplate } from 'templock';
 * const t = decodeTemplate(bytes); // t.params, t.salt, t.payload
 */
export function decodeTemplate(bytes: Uint8Array): ProtectedTemplate {
  const dv = readHeader(bytes);
  const scheme = _schemeById(bytes[5]!);
  if (!scheme) throw malformed('unknown scheme');
  const dim = dv.getUint16(6, true);
  if (dim < DIM_MIN || dim > DIM_MAX) throw malformed('dimension out of range');
  const params = scheme.fromHeader(dim, { a: dv.getUint16(8, true), b: dv.getUint16(10, true), c: bytes[12]! });
  if (!params) throw malformed('parameters out of range');
  const saltLen = bytes[13]!;
  if (saltLen < SALT_MIN_BYTES || saltLen > SALT_MAX_BYTES) throw malformed('salt length out of range');
  const payloadLen = scheme.payloadBytes(params);
  const total = TEMPLATE_FIXED_BYTES + saltLen + payloadLen;
  if (bytes.length < total) throw malformed('truncated payload');
  if (bytes.length > total) throw malformed('trailing bytes');
  const payload = bytes.slice(30 + saltLen, total);
  if (!scheme.payloadValid(params, payload)) throw malformed('payload value out of range');
  return Object.freeze({
    params: Object.freeze(params),
    salt: bytes.slice(30, 30 + saltLen),
    keyId: bytes.slice(14, 22),
    meanId: bytes.slice(22, 30),
    payload,
  });
}

/** A key-binding template (SPEC.md §4.5, §5): helper data and commitment; no score is defined on it. */
export interface BoundTemplate {
  readonly params: FuzzyCommitmentParams;
  /** 16–32 public random bytes; a new salt gives a new projection and a new message. */
  readonly salt: Uint8Array;
  /** 8-byte identifier of the application key (not the key). */
  readonly keyId: Uint8Array;
  /** 8-byte identifier of the centring mean vector, all zero when not centred. */
  readonly meanId: Uint8Array;
  /** ceil(n * r / 8) bytes: projection sign bits XOR codeword bits, LSB first, padding bits zero. */
  readonly helper: Uint8Array;
  /** 32-byte hash commitment of the bound message. */
  readonly commitment: Uint8Array;
}

/** True when the bits of the last helper byte beyond L are zero. */
function paddingClear(p: FuzzyCommitmentParams, helper: Uint8Array): boolean {
  const used = _helperBits(p) & 7;
  return used === 0 || (helper[helper.length - 1]! >> used) === 0;
}

/**
 * Encodes a key-binding template in format v1 (scheme id 4; payload = helper data || commitment).
 * @example
 * import { bindKey, encodeBoundTemplate } from 'templock';
 * const bytes = encodeBoundTemplate(bindKey(embedding, params, key, salt).template);
 */
export function encodeBoundTemplate(t: BoundTemplate): Uint8Array<ArrayBuffer> {
  if (typeof t !== 'object' || t === null) throw new TypeError(`"template" expected object, got ${t === null ? 'null' : typeof t}`);
  const params = checkBindingParams(t.params);
  const salt = aBytes('template.salt', t.salt, SALT_MIN_BYTES, SALT_MAX_BYTES);
  const keyId = aBytes('template.keyId', t.keyId, 8);
  const meanId = aBytes('template.meanId', t.meanId, 8);
  const helper = aBytes('template.helper', t.helper, _helperBytes(params));
  const commitment = aBytes('template.commitment', t.commitment, COMMITMENT_BYTES);
  if (!paddingClear(params, helper)) throw new RangeError('"template.helper" has padding bits set');
  return writeTemplate(_bindingParamBlock(params), salt, keyId, meanId, [helper, commitment]);
}

/**
 * Decodes a v1 key-binding template strictly (the rules of SPEC.md §5 for scheme id 4). The
 * result's byte fields are copies.
 * @throws TemplockError MALFORMED (bad framing, another scheme id, parameters, lengths or padding bits) or UNSUPPORTED_VERSION.
 * @example
 * import { decodeBoundTemplate } from 'templock';
 * const t = decodeBoundTemplate(bytes); // t.params, t.salt, t.helper, t.commitment
 */
export function decodeBoundTemplate(bytes: Uint8Array): BoundTemplate {
  const dv = readHeader(bytes);
  if (bytes[5] !== FUZZY_COMMITMENT_ID) throw malformed('not a key-binding scheme');
  const dim = dv.getUint16(6, true);
  if (dim < DIM_MIN || dim > DIM_MAX) throw malformed('dimension out of range');
  const params = _bindingParamsFromHeader(dim, dv.getUint16(8, true), dv.getUint16(10, true), bytes[12]!);
  if (!params) throw malformed('parameters out of range');
  const saltLen = bytes[13]!;
  if (saltLen < SALT_MIN_BYTES || saltLen > SALT_MAX_BYTES) throw malformed('salt length out of range');
  const helperLen = _helperBytes(params);
  const total = TEMPLATE_FIXED_BYTES + saltLen + helperLen + COMMITMENT_BYTES;
  if (bytes.length < total) throw malformed('truncated payload');
  if (bytes.length > total) throw malformed('trailing bytes');
  const helper = bytes.slice(30 + saltLen, 30 + saltLen + helperLen);
  if (!paddingClear(params, helper)) throw malformed('helper padding bits set');
  return Object.freeze({
    params,
    salt: bytes.slice(30, 30 + saltLen),
    keyId: bytes.slice(14, 22),
    meanId: bytes.slice(22, 30),
    helper,
    commitment: bytes.slice(30 + saltLen + helperLen, total),
  });
}

/** A template a sealed record can hold (SPEC.md §7.4): a protected template or a key-binding template. */
export type SealableTemplate = ProtectedTemplate | BoundTemplate;

/** True for a key-binding template (it has helper data and no payload). */
export function _isBound(t: SealableTemplate): t is BoundTemplate {
  return (t as { helper?: unknown }).helper !== undefined;
}

/** Encodes either kind of template (validated as its own encoder does). */
export function _encodeSealable(t: SealableTemplate): Uint8Array<ArrayBuffer> {
  if (typeof t !== 'object' || t === null) throw new TypeError(`"template" expected object, got ${t === null ? 'null' : typeof t}`);
  return _isBound(t) ? encodeBoundTemplate(t) : encodeTemplate(t);
}
