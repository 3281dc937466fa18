// Deterministic inputs of the vector files: keys, salts and bytes expanded from labels, and
// embeddings built with exact float64 operations only (no Math.random, no transcendental
// functions), so a regeneration on any engine gives the same files.
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/conformance/index.js';

/** `n` bytes expanded from `label`: ChaCha20 keystream under SHA-256("templock-vectors/" || label). */
export function labelBytes(label: string, n: number): Uint8Array {
  const key = sha256(new TextEncoder().encode(`templock-vectors/${label}`));
  return chacha20(key, new Uint8Array(12), new Uint8Array(n));
}

/** Hex of the 32-byte application key named `label`. */
export function vectorKey(label: string): string {
  return toHex(labelBytes(`key/${label}`, 32));
}

/** Hex of the `n`-byte salt named `label`. */
export function vectorSalt(label: string, n = 16): string {
  return toHex(labelBytes(`salt/${label}`, n));
}

/** Largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;
/** Smallest positive normal and subnormal float32. */
export const F32_MIN_NORMAL = 2 ** -126;
export const F32_MIN_SUBNORMAL = 2 ** -149;

/**
 * An approximately Gaussian float32 vector: entry i is (u0 + u1 + u2 + u3 - 2^33) / 2^32 for four
 * little-endian u32 of labelBytes(label), a value in [-2, 2) (exact in float64, then float32).
 */
export function gaussianish(label: string, dim: number): Float32Array {
  const b = labelBytes(`embedding/${label}`, 16 * dim);
  const dv = new DataView(b.buffer);
  return Float32Array.from({ length: dim }, (_, i) => {
    let s = 0;
    for (let j = 0; j < 4; j++) s += dv.getUint32(16 * i + 4 * j, true);
    return (s - 2 ** 33) / 2 ** 32;
  });
}

/** x + eps * gaussianish(label): a nearby embedding (cosine about 1 / sqrt(1 + eps^2)). */
export function perturbed(x: Float32Array, label: string, eps: number): Float32Array {
  const n = gaussianish(label, x.length);
  return Float32Array.from(x, (v, i) => v + eps * n[i]!);
}

/** Entry-wise scale of x by `factor` (a power of two keeps it exact). */
export function scaled(x: Float32Array, factor: number): Float32Array {
  return Float32Array.from(x, (v) => v * factor);
}

/** A vector of `dim` entries, all `fill` except the listed ones. */
export function sparse(dim: number, entries: Readonly<Record<number, number>>, fill = 0): Float32Array {
  const x = new Float32Array(dim).fill(fill);
  for (const [i, v] of Object.entries(entries)) x[Number(i)] = v;
  return x;
}

/**
 * Integer entries whose squares sum to exactly 2^30, so the norm is 2^15 and every entry c maps
 * to c / 2: the odd entries (±1, ±3, ±5, ±7 and the greedy remainder's odd ones) land exactly
 * halfway between two integers and exercise round-half-to-even.
 */
export function quantisationTies(dim: number): Float32Array {
  const x = new Float32Array(dim);
  const ties = [1, -1, 3, -3, 5, -5, 7, -7];
  let rest = 2 ** 30;
  ties.forEach((v, i) => { x[i] = v; rest -= v * v; });
  for (let i = ties.length; rest > 0; i++) {
    if (i >= dim) throw new Error('quantisationTies: dimension too small');
    const a = Math.floor(Math.sqrt(rest));
    x[i] = i % 2 ? -a : a;
    rest -= a * a;
  }
  return x;
}
