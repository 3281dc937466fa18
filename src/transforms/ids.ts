// Public identifiers carried by a template (SPEC.md §3.1, §5): the parameter block shared with
// the key derivation, the 8-byte key identifier and the 8-byte mean-vector identifier.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { _schemeOf } from './registry.js';
import type { TransformParams } from './scheme.js';

const enc = new TextEncoder();
const KEY_ID_LABEL = enc.encode('templock/v1/key-id');
const MEAN_ID_LABEL = enc.encode('templock/v1/mean');

/** Bytes of the parameter block: scheme id, dim, a, b (u16 LE) and c (u8). */
export const PARAM_BLOCK_BYTES = 8;

/** The 8-byte parameter block of validated parameters. */
export function _paramBlock(p: TransformParams): Uint8Array {
  const s = _schemeOf(p);
  const h = s.toHeader(p);
  const out = new Uint8Array(PARAM_BLOCK_BYTES);
  const dv = new DataView(out.buffer);
  out[0] = s.id;
  dv.setUint16(1, p.dim, true);
  dv.setUint16(3, h.a, true);
  dv.setUint16(5, h.b, true);
  out[7] = h.c;
  return out;
}

/** First 8 bytes of HMAC-SHA256(key, "templock/v1/key-id"): names a key without revealing it. */
export function _keyId(key: Uint8Array): Uint8Array {
  return hmac(sha256, key, KEY_ID_LABEL).subarray(0, 8);
}

/** First 8 bytes of SHA-256("templock/v1/mean" || mean as float32 LE); all zero without a mean. */
export function _meanId(mean: Float32Array | undefined): Uint8Array {
  if (!mean) return new Uint8Array(8);
  const bytes = new Uint8Array(mean.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < mean.length; i++) dv.setFloat32(i * 4, mean[i]!, true);
  return sha256.create().update(MEAN_ID_LABEL).update(bytes).digest().subarray(0, 8);
}
