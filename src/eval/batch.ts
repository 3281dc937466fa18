// Batch protection for the evaluation (docs/EVALUATION.md "Speed"): canonicalise every row once,
// derive one instance's material once, then apply it to many rows. Once `await init()` from
// templock/match has run, the templock/match kernels derive the material (binomial_weights,
// partial_permutations) and run the projections (iomgrp_argmax, sign_project); otherwise the
// core derives it and a JS loop walks each weight row once for four samples. Both yield
// exactly the payload of protect() (integer sums are exact; the smallest index wins ties).
import { POPCOUNT8 } from '../bits.js';
import { _canonicalise } from '../canonical.js';
import { _deriveStreamKey } from '../random/keystream.js';
import { _activeBackend } from '../match/loader.js';
import { _forgetMaterial, _kernelApplyMany, _kernelDerive } from '../match/protect-fast.js';
import { _deriveMaterial, _prepare } from '../transforms/protect.js';
import { _schemeOf } from '../transforms/registry.js';
import type { _Scheme, TransformParams } from '../transforms/scheme.js';
import { _dropProjector } from './weight-projector.js';

/** Canonical int16 rows (n x dim) of float32 rows, centred by `mean` when given. */
export function _canonicalRows(vectors: Float32Array, dim: number, mean: Float32Array | undefined): Int16Array {
  const n = vectors.length / dim;
  const out = new Int16Array(n * dim);
  for (let i = 0; i < n; i++) out.set(_canonicalise(vectors.subarray(i * dim, (i + 1) * dim), mean), i * dim);
  return out;
}

/** One transform instance (parameters, key, salt) with its derived material held in memory. */
export interface _Instance {
  readonly params: TransformParams;
  readonly scheme: _Scheme<TransformParams, Int8Array | Uint16Array>;
  readonly material: Int8Array | Uint16Array;
  readonly payloadBytes: number;
}

/**
 * Derives the material of (params, key, salt) exactly as protect() does: by the templock/match
 * kernels (binomial_weights, partial_permutations) once `init()` has run, else in JS.
 */
export function _instance(params: TransformParams, key: Uint8Array, salt: Uint8Array): _Instance {
  const prep = _prepare(params, key);
  const scheme = _schemeOf(prep.params) as _Scheme<TransformParams, Int8Array | Uint16Array>;
  const streamKey = _deriveStreamKey(prep.key, salt, prep.info);
  try {
    return { params: prep.params, scheme, material: kernelsReady() ? _kernelDerive(streamKey, prep.params) : _deriveMaterial(streamKey, prep.params), payloadBytes: scheme.payloadBytes(prep.params) };
  } finally {
    streamKey.fill(0); prep.key.fill(0);
  }
}

/** Projections of 4 rows (offsets o0..o3 in V) onto weight row r: written to acc[0..3]. */
function project4(W: Int8Array, r: number, d: number, V: Int16Array, o0: number, o1: number, o2: number, o3: number, acc: Float64Array): void {
  const base = r * d;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < d; i++) {
    const w = W[base + i]!;
    s0 += w * V[o0 + i]!; s1 += w * V[o1 + i]!; s2 += w * V[o2 + i]!; s3 += w * V[o3 + i]!;
  }
  acc[0] = s0; acc[1] = s1; acc[2] = s2; acc[3] = s3;
}

/** IoM-GRP payloads of four rows at once. */
function grp4(W: Int8Array, m: number, q: number, d: number, V: Int16Array, offs: readonly number[], out: Uint8Array, outOffs: readonly number[]): void {
  const acc = new Float64Array(4), best = new Float64Array(4), arg = new Uint8Array(4);
  for (let j = 0; j < m; j++) {
    project4(W, j * q, d, V, offs[0]!, offs[1]!, offs[2]!, offs[3]!, best);
    arg.fill(0);
    for (let t = 1; t < q; t++) {
      project4(W, j * q + t, d, V, offs[0]!, offs[1]!, offs[2]!, offs[3]!, acc);
      for (let u = 0; u < 4; u++) if (acc[u]! > best[u]!) { best[u] = acc[u]!; arg[u] = t; }
    }
    for (let u = 0; u < 4; u++) out[outOffs[u]! + j] = arg[u]!;
  }
}

/** Sign-projection payloads of four rows at once. */
function sign4(W: Int8Array, bits: number, d: number, V: Int16Array, offs: readonly number[], out: Uint8Array, outOffs: readonly number[]): void {
  const acc = new Float64Array(4);
  for (let u = 0; u < 4; u++) out.fill(0, outOffs[u]!, outOffs[u]! + bits / 8);
  for (let l = 0; l < bits; l++) {
    project4(W, l, d, V, offs[0]!, offs[1]!, offs[2]!, offs[3]!, acc);
    for (let u = 0; u < 4; u++) if (acc[u]! > 0) out[outOffs[u]! + (l >> 3)]! |= 1 << (l & 7);
  }
}

/** True once templock/match's init() has run: its kernels then do the projections. */
function kernelsReady(): boolean {
  return _activeBackend() !== undefined;
}

/** Zero-fills an instance's material, and its copies in the kernel heaps. */
export function _wipeInstance(inst: _Instance): void {
  _forgetMaterial(inst.material);
  _dropProjector(inst);
  inst.material.fill(0);
}

/**
 * Payloads (rows.length x payloadBytes) of the canonical rows `rows` of `canon` under `inst`.
 * Projection schemes go four rows at a time; a last partial group repeats its final row into
 * padding that is cut off.
 */
export function _applyRows(inst: _Instance, canon: Int16Array, rows: ArrayLike<number>): Uint8Array {
  const p = inst.params, d = p.dim, nb = inst.payloadBytes, n = rows.length;
  if (p.scheme === 'iom-urp') {
    const out = new Uint8Array(n * nb);
    for (let k = 0; k < n; k++)
      inst.scheme.apply(canon.subarray(rows[k]! * d, (rows[k]! + 1) * d), inst.material, p, out.subarray(k * nb, (k + 1) * nb));
    return out;
  }
  if (kernelsReady()) {
    const out = new Uint8Array(n * nb);
    const vs = Array.from({ length: n }, (_, k) => canon.subarray(rows[k]! * d, (rows[k]! + 1) * d));
    _kernelApplyMany(vs, inst.material, p, Array.from({ length: n }, (_, k) => out.subarray(k * nb, (k + 1) * nb)));
    return out;
  }
  const W = inst.material as Int8Array;
  const padded = new Uint8Array(Math.ceil(n / 4) * 4 * nb);
  for (let k = 0; k < n; k += 4) {
    const offs = [0, 1, 2, 3].map((u) => rows[Math.min(k + u, n - 1)]! * d);
    const outOffs = [0, 1, 2, 3].map((u) => (k + u) * nb);
    if (p.scheme === 'iom-grp') grp4(W, p.m, p.q, d, canon, offs, padded, outOffs);
    else sign4(W, p.bits, d, canon, offs, padded, outOffs);
  }
  return padded.subarray(0, n * nb);
}

/** Set bits of a 32-bit word. */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Number of zero bytes of a 32-bit word (exact: the high bit of each byte marks a zero byte). */
function zeroBytes32(x: number): number {
  const y = ~((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) | 0x7f7f7f7f);
  return popcount32(y);
}

/**
 * The score of two payloads of one scheme: equal-index fraction (IoM) or 1 - Hamming/bits (sign),
 * as compareTemplates() gives it. Rows are read four bytes at a time when the payload length is
 * a multiple of 4 (payload arrays must then start at a 4-byte aligned offset).
 */
export function _payloadScorer(params: TransformParams): (A: Uint8Array, ia: number, B: Uint8Array, ib: number) => number {
  const nb = _schemeOf(params).payloadBytes(params);
  const words = nb % 4 === 0 ? nb / 4 : 0;
  const view = (X: Uint8Array) => new Uint32Array(X.buffer, X.byteOffset, X.byteLength >>> 2);
  const cache = new WeakMap<Uint8Array, Uint32Array>();
  const w32 = (X: Uint8Array) => { let v = cache.get(X); if (!v) { v = view(X); cache.set(X, v); } return v; };
  const aligned = (X: Uint8Array) => X.byteOffset % 4 === 0;
  if (params.scheme === 'sign') {
    const bits = params.bits;
    return (A, ia, B, ib) => {
      let h = 0;
      if (words && aligned(A) && aligned(B)) {
        const a = w32(A), b = w32(B), oa = ia * words, ob = ib * words;
        for (let i = 0; i < words; i++) h += popcount32(a[oa + i]! ^ b[ob + i]!);
      } else {
        const oa = ia * nb, ob = ib * nb;
        for (let i = 0; i < nb; i++) h += POPCOUNT8[A[oa + i]! ^ B[ob + i]!]!;
      }
      return 1 - h / bits;
    };
  }
  return (A, ia, B, ib) => {
    let eq = 0;
    if (words && aligned(A) && aligned(B)) {
      const a = w32(A), b = w32(B), oa = ia * words, ob = ib * words;
      for (let i = 0; i < words; i++) eq += zeroBytes32(a[oa + i]! ^ b[ob + i]!);
    } else {
      const oa = ia * nb, ob = ib * nb;
      for (let i = 0; i < nb; i++) if (A[oa + i] === B[ob + i]) eq++;
    }
    return eq / nb;
  };
}
