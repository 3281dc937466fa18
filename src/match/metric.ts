// How a scheme's templates are matched (SPEC.md §4.4): the kernel family (Hamming over packed
// bits for sign projection, equal-index count over u8 codes for IoM), the distance the top-k
// kernels minimise, and the exact score and threshold conversions. Scores equal
// compareTemplates() from 'templock' bit for bit.
import { _equalBytes } from '../bytes.js';
import { TemplockError } from '../errors.js';
import type { ProtectedTemplate } from '../template.js';
import { _schemeOf, checkParams } from '../transforms/registry.js';
import type { TransformParams } from '../transforms/scheme.js';
import { aBytes } from '../validate.js';
import type { KernelSet } from './kernel-set.js';

/** The matching rule of one parameter set. */
export interface _Metric {
  readonly params: TransformParams;
  /** Payload bytes of one template (the row stride of a gallery). */
  readonly n: number;
  /** Distance between two payloads at byte offsets a and b. */
  distance(k: KernelSet, a: number, b: number): number;
  /** The top-k kernel of this family. */
  topk(k: KernelSet, probe: number, base: number, from: number, to: number, top: number, maxDist: number, out: number): number;
  /** The score in [0, 1] of a distance, exactly as compareTemplates computes it. */
  score(dist: number): number;
  /** The largest distance whose score is >= threshold (threshold in [0, 1]). */
  maxDist(threshold: number): number;
}

/** The metric of validated parameters. */
export function _metricOf(params: TransformParams): _Metric {
  const n = _schemeOf(params).payloadBytes(params);
  const bits = 8 * n;
  const hamming = params.scheme === 'sign';
  // The same expressions as the schemes' score(): 1 - h / bits, and equal / m.
  const score = hamming ? (d: number) => 1 - d / bits : (d: number) => (n - d) / n;
  const top = hamming ? bits : n;
  return {
    params,
    n,
    distance: hamming ? (k, a, b) => k.hamming_u1(a, b, n) : (k, a, b) => n - k.equal_u8(a, b, n),
    topk: hamming
      ? (k, probe, base, from, to, kk, maxDist, out) => k.topk_hamming_u1(probe, base, from, to, n, kk, maxDist, out)
      : (k, probe, base, from, to, kk, maxDist, out) => k.topk_equal_u8(probe, base, from, to, n, kk, maxDist, out),
    score,
    maxDist(threshold) {
      // score is decreasing in d and score(0) = 1 >= threshold: binary search the last d that passes.
      let lo = 0, hi = top;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (score(mid) >= threshold) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

/** What a template must share with another to be compared: parameters, key, centring and salt. */
export interface _Reference {
  readonly params: TransformParams;
  readonly keyId: Uint8Array;
  readonly meanId: Uint8Array;
  readonly salt: Uint8Array;
}

/** Validates the shape of a template and returns its comparison reference. */
export function _referenceOf(name: string, t: ProtectedTemplate): _Reference {
  if (typeof t !== 'object' || t === null) throw new TypeError(`"${name}" expected ProtectedTemplate, got ${t === null ? 'null' : typeof t}`);
  return {
    params: checkParams(t.params),
    keyId: aBytes(`${name}.keyId`, t.keyId, 8).slice(),
    meanId: aBytes(`${name}.meanId`, t.meanId, 8).slice(),
    salt: aBytes(`${name}.salt`, t.salt, 16, 32).slice(),
  };
}

/** True when `p` has exactly the reference parameters' values (extra fields such as a mean are ignored). */
export function _paramsEqual(p: unknown, ref: TransformParams): boolean {
  if (typeof p !== 'object' || p === null) return false;
  const a = p as Partial<Record<string, unknown>>;
  if (a.scheme !== ref.scheme || a.dim !== ref.dim) return false;
  switch (ref.scheme) {
    case 'iom-grp': return a.m === ref.m && a.q === ref.q;
    case 'iom-urp': return a.m === ref.m && a.k === ref.k && a.p === ref.p;
    case 'sign': return a.bits === ref.bits;
  }
}

/**
 * Throws INCOMPATIBLE unless `t` was made with the reference's parameters, key and mean (and
 * salt, when `sameSalt`), TypeError / RangeError for a malformed template or a payload of the
 * wrong length or values; returns the payload. Allocates nothing for a compatible template.
 */
export function _assertMatches(ref: _Reference, name: string, t: ProtectedTemplate, sameSalt: boolean): Uint8Array {
  if (typeof t !== 'object' || t === null) throw new TypeError(`"${name}" expected ProtectedTemplate, got ${t === null ? 'null' : typeof t}`);
  if (!_paramsEqual(t.params, ref.params)) {
    checkParams(t.params); // TypeError / RangeError when they are not parameters at all
    throw new TemplockError('INCOMPATIBLE', `"${name}" differs in scheme or parameters`);
  }
  if (!_equalBytes(aBytes(`${name}.keyId`, t.keyId, 8), ref.keyId)) throw new TemplockError('INCOMPATIBLE', `"${name}" was made under a different key`);
  if (!_equalBytes(aBytes(`${name}.meanId`, t.meanId, 8), ref.meanId)) throw new TemplockError('INCOMPATIBLE', `"${name}" was centred by a different mean vector`);
  const salt = aBytes(`${name}.salt`, t.salt, 16, 32);
  if (sameSalt && !_equalBytes(salt, ref.salt)) throw new TemplockError('INCOMPATIBLE', `"${name}" was made under a different salt`);
  const scheme = _schemeOf(ref.params);
  const payload = aBytes(`${name}.payload`, t.payload, scheme.payloadBytes(ref.params));
  if (!scheme.payloadValid(ref.params, payload)) throw new RangeError(`"${name}.payload" holds values out of range for its parameters`);
  return payload;
}
