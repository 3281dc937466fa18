// Byte codecs of the vector files (vectors/README.md): lowercase hex, embeddings as hex of
// little-endian float32, canonical vectors as hex of little-endian int16, material as bytes.
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * Lowercase hex of `bytes`, the byte encoding of every vector file.
 * @example
 * import { toHex } from 'templock/conformance';
 * toHex(Uint8Array.of(0x54, 0x4c)); // '544c'
 */
export const toHex: (bytes: Uint8Array) => string = bytesToHex;

/**
 * Bytes of a lowercase, even-length hex string; TypeError/RangeError otherwise.
 * @example
 * import { fromHex } from 'templock/conformance';
 * const salt = fromHex(test.salt, 'salt');
 */
export function fromHex(text: unknown, name = 'hex'): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`"${name}" expected hex string, got ${typeof text}`);
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) throw new RangeError(`"${name}" expected lowercase hex of even length`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Float32 values from hex of little-endian float32 (sign of zero and subnormals preserved).
 * @example
 * import { f32FromHex } from 'templock/conformance';
 * const embedding = f32FromHex(test.embedding); // Float32Array
 */
export function f32FromHex(text: unknown, name = 'embedding'): Float32Array {
  const b = fromHex(text, name);
  if (b.length % 4 !== 0) throw new RangeError(`"${name}" expected a multiple of 4 bytes, got ${b.length}`);
  const dv = new DataView(b.buffer);
  return Float32Array.from({ length: b.length / 4 }, (_, i) => dv.getFloat32(4 * i, true));
}

/**
 * Hex of little-endian float32 values (how the vector files hold embeddings and means).
 * @example
 * import { f32ToHex } from 'templock/conformance';
 * f32ToHex(Float32Array.of(-0)); // '00000080'
 */
export function f32ToHex(x: Float32Array): string {
  const b = new Uint8Array(4 * x.length);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < x.length; i++) dv.setFloat32(4 * i, x[i]!, true);
  return toHex(b);
}

/** Little-endian bytes of 16-bit integers (int16 or uint16 alike). */
export function u16leBytes(x: Int16Array | Uint16Array): Uint8Array {
  const b = new Uint8Array(2 * x.length);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < x.length; i++) dv.setUint16(2 * i, x[i]! & 0xffff, true);
  return b;
}
