// Boundary validators (noble style, `a`-prefixed). Messages name the argument and what was
// expected, never the value itself when the value may be secret or biometric.
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** A 1-d ndarray (scijs `ndarray`), accepted wherever an embedding is. */
export interface NdArray1D {
  readonly shape: readonly number[];
  get(i: number): number;
}

/** An embedding as a caller may hold it. */
export type EmbeddingInput = Float32Array | readonly number[] | NdArray1D;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** Asserts a safe integer in [min, max]. */
export function aInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected integer, got ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new RangeError(`"${name}" expected integer in [${min}, ${max}], got ${Number.isFinite(value) ? value : String(value)}`);
  return value;
}

/** Asserts a Uint8Array whose length is in [minLen, maxLen]. */
export function aBytes(name: string, value: unknown, minLen: number, maxLen = minLen): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`"${name}" expected Uint8Array, got ${describe(value)}`);
  if (value.length < minLen || value.length > maxLen) {
    const want = minLen === maxLen ? `${minLen}` : `${minLen}..${maxLen}`;
    throw new RangeError(`"${name}" expected Uint8Array of length ${want}, got length ${value.length}`);
  }
  return value;
}

/** Asserts a non-empty string of at most maxLen UTF-16 units. */
export function aString(name: string, value: unknown, maxLen = 1024): string {
  if (typeof value !== 'string') throw new TypeError(`"${name}" expected string, got ${describe(value)}`);
  if (value.length === 0 || value.length > maxLen)
    throw new RangeError(`"${name}" expected string of length 1..${maxLen}, got length ${value.length}`);
  return value;
}

/** Asserts a finite number in [min, max]. */
export function aNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected number, got ${describe(value)}`);
  if (!(value >= min && value <= max)) throw new RangeError(`"${name}" expected number in [${min}, ${max}]`);
  return value;
}

function isNdArray(x: unknown): x is NdArray1D {
  return typeof x === 'object' && x !== null && Array.isArray((x as NdArray1D).shape) &&
    typeof (x as NdArray1D).get === 'function';
}

/**
 * Asserts an embedding of `dim` finite values and returns a fresh Float32Array copy that the
 * caller owns (and must zero-fill after use). Values of a number[] are rounded to float32,
 * so every input type yields the same canonical vector.
 */
export function aEmbedding(name: string, x: unknown, dim: number): Float32Array {
  let out: Float32Array;
  if (x instanceof Float32Array) {
    if (x.length !== dim) throw new RangeError(`"${name}" expected Float32Array of length ${dim}, got length ${x.length}`);
    out = Float32Array.from(x);
  } else if (Array.isArray(x)) {
    if (x.length !== dim) throw new RangeError(`"${name}" expected number[] of length ${dim}, got length ${x.length}`);
    out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) {
      const v = x[i];
      if (typeof v !== 'number') throw new TypeError(`"${name}" expected number[] with numbers only, got ${describe(v)} at index ${i}`);
      out[i] = v;
    }
  } else if (isNdArray(x)) {
    if (x.shape.length !== 1) throw new RangeError(`"${name}" expected 1-d ndarray, got ${x.shape.length}-d`);
    if (x.shape[0] !== dim) throw new RangeError(`"${name}" expected ndarray of length ${dim}, got length ${x.shape[0]}`);
    out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) {
      const v = x.get(i);
      if (typeof v !== 'number') throw new TypeError(`"${name}" expected ndarray of numbers, got ${describe(v)} at index ${i}`);
      out[i] = v;
    }
  } else {
    throw new TypeError(`"${name}" expected Float32Array, number[] or 1-d ndarray of length ${dim}, got ${describe(x)}`);
  }
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(out[i])) {
      out.fill(0);
      throw new RangeError(`"${name}" expected finite values, got a non-finite value at index ${i}`);
    }
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 bytes of a string, with a plain loop for ASCII (the common case of ids). */
function utf8(value: string): Uint8Array {
  const n = value.length;
  if (n <= 255) {
    const out = new Uint8Array(n);
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) break;
      out[i] = c;
    }
    if (i === n) return out;
  }
  return utf8ToBytes(value);
}

/**
 * Asserts a well-formed string of 1..maxBytes UTF-8 bytes and returns its bytes. Lone surrogates
 * are refused because UTF-8 encoding would silently replace them (two strings, one encoding).
 */
export function aUtf8(name: string, value: unknown, maxBytes = 255): Uint8Array {
  if (typeof value !== 'string') throw new TypeError(`"${name}" expected string, got ${value === null ? 'null' : typeof value}`);
  const bytes = utf8(value);
  if (bytes.length === 0 || bytes.length > maxBytes)
    throw new RangeError(`"${name}" expected 1..${maxBytes} UTF-8 bytes, got ${bytes.length}`);
  if (bytes.length !== value.length && LONE_SURROGATE.test(value))
    throw new RangeError(`"${name}" expected a well-formed string, got one with a lone surrogate`);
  return bytes;
}
