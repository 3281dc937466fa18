// Protected-template format v1 (SPEC.md §5): a canonical little-endian binary encoding of
// scheme, parameters, salt, key identifier, mean identifier and payload. `decodeTemplate` is
// strict and total: any byte string either decodes or raises TemplockError MALFORMED /
// UNSUPPORTED_VERSION, and it allocates nothing beyond the input it was given.
import { TemplockError } from './errors.js';
import { _paramBlock, PARAM_BLOCK_BYTES } from './transforms/ids.js';
import { _schemeById, _schemeOf, checkParams, DIM_MAX, DIM_MIN } from './transforms/registry.js';
import type { TransformParams } from './transforms/scheme.js';
import { aBytes } from './validate.js';

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
  const out = new Uint8Array(TEMPLATE_FIXED_BYTES + salt.length + payload.length);
  out.set(TEMPLATE_MAGIC, 0);
  out[4] = TEMPLATE_VERSION;
  out.set(_paramBlock(params), 5);
  out[13] = salt.length;
  out.set(keyId, 14);
  out.set(meanId, 22);
  out.set(salt, 30);
  out.set(payload, 30 + salt.length);
  return out;
}

function malformed(why: string): TemplockError {
  return new TemplockError('MALFORMED', `template: ${why}`);
}

/**
 * Decodes a v1 template strictly. The result's byte fields are copies, not views of `bytes`.
 * @throws TemplockError MALFORMED (bad framing, parameters, lengths or payload values) or UNSUPPORTED_VERSION.
 * @example
 * import { decodeTemplate } from 'templock';
 * const t = decodeTemplate(bytes); // t.params, t.salt, t.payload
 */
export function decodeTemplate(bytes: Uint8Array): ProtectedTemplate {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"bytes" expected Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 5) throw malformed('truncated header');
  for (let i = 0; i < 4; i++) if (bytes[i] !== TEMPLATE_MAGIC[i]) throw malformed('bad magic');
  if (bytes[4] !== TEMPLATE_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `template: unsupported format version ${bytes[4]}`);
  if (bytes.length < TEMPLATE_FIXED_BYTES) throw malformed('truncated header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
