// The embeddings every transform file is run on: ordinary ones and the adversarial cases of
// SPEC.md (exact ties, signed zeros, subnormals, extreme magnitudes, one-hot vectors,
// quantisation ties), plus the centred cases (a shared common component and a public mean).
import { _canonicalise } from '../../src/canonical.js';
import { f32ToHex } from '../../src/conformance/index.js';
import { F32_MAX, F32_MIN_NORMAL, F32_MIN_SUBNORMAL, gaussianish, labelBytes, perturbed, quantisationTies, scaled, sparse } from './_inputs.js';

/** An embedding case: a comment, its flags and the float32 values. */
export interface EmbeddingCase {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly x: Float32Array;
}

/** The flags these cases use, with what each marks (the "notes" of a vector file). */
export const EMBEDDING_NOTES = {
  Random: 'An ordinary embedding: approximately Gaussian entries.',
  Perturbed: 'A slightly perturbed copy of another embedding of the same group.',
  OneHot: 'Exactly one non-zero entry (projections and products tie often; the smallest index wins).',
  ProjectionTie: 'Built so that projections (IoM-GRP, sign) or products (IoM-URP) tie exactly, or are exactly 0.',
  ConstantMagnitude: 'Every entry has the same magnitude.',
  NegativeZero: 'Contains -0.0 entries (they canonicalise like +0.0).',
  Subnormal: 'Contains float32 subnormal values (no flush-to-zero allowed).',
  LargeMagnitude: 'Contains values near the float32 maximum.',
  SmallMagnitude: 'Contains values near the smallest float32 normal.',
  QuantisationTie: 'Canonical values exactly halfway between two integers (round half to even).',
  Centred: 'The group has a centring mean vector.',
  Cancellation: 'The embedding differs from the mean in the last bits only (catastrophic cancellation).',
  Float64Centring: 'Subtracting the mean in float32 instead of float64 would change the canonical vector.',
} as const;

export type EmbeddingFlag = keyof typeof EMBEDDING_NOTES;

function c(comment: string, flags: EmbeddingFlag[], x: Float32Array): EmbeddingCase {
  return { comment, flags, x };
}

/** Uniform random subnormal float32 values (including zeros of both signs by chance). */
function subnormals(label: string, dim: number): Float32Array {
  const b = labelBytes(`subnormal/${label}`, 4 * dim);
  const dv = new DataView(b.buffer);
  return Float32Array.from({ length: dim }, (_, i) => {
    const w = dv.getUint32(4 * i, true);
    const mant = w & 0x7fffff; // below 2^23: a subnormal multiple of 2^-149
    return (w >>> 31 ? -mant : mant) * F32_MIN_SUBNORMAL;
  });
}

/** Random signs times `magnitude`. */
function signs(label: string, dim: number, magnitude: number): Float32Array {
  const b = labelBytes(`signs/${label}`, dim);
  return Float32Array.from(b, (v) => (v & 1 ? -magnitude : magnitude));
}

/** The full list of uncentred cases for dimension `dim` (16 cases). */
export function embeddingCases(dim: number): EmbeddingCase[] {
  const r1 = gaussianish(`r1/${dim}`, dim);
  const mixedZeros = gaussianish(`r4/${dim}`, dim).map((v, i) => (i % 3 === 0 ? -0 : i % 5 === 0 ? (i % 2 ? -7 : 3) * F32_MIN_SUBNORMAL : v));
  const hugeAndTiny = scaled(gaussianish(`r5/${dim}`, dim), 2 ** -100);
  hugeAndTiny[0] = F32_MAX;
  return [
    c('random embedding', ['Random'], r1),
    c('random embedding', ['Random'], gaussianish(`r2/${dim}`, dim)),
    c('random embedding', ['Random'], gaussianish(`r3/${dim}`, dim)),
    c('perturbed copy of the first random embedding of this group (eps 0.3)', ['Perturbed'], perturbed(r1, `p1/${dim}`, 0.3)),
    c('one-hot at index 0', ['OneHot', 'ProjectionTie'], sparse(dim, { 0: 1 })),
    c('one-hot at the last index, negative', ['OneHot', 'ProjectionTie'], sparse(dim, { [dim - 1]: -0.75 })),
    c('two entries +1 and -1, the rest 0', ['ProjectionTie'], sparse(dim, { 1: 1, [dim - 2]: -1 })),
    c('all entries 1', ['ConstantMagnitude', 'ProjectionTie'], new Float32Array(dim).fill(1)),
    c('random signs times the float32 maximum', ['ConstantMagnitude', 'LargeMagnitude', 'ProjectionTie'], signs(`max/${dim}`, dim, F32_MAX)),
    c('random embedding times 2^100', ['LargeMagnitude'], scaled(gaussianish(`r6/${dim}`, dim), 2 ** 100)),
    c('random embedding times 2^-126 (partly subnormal)', ['SmallMagnitude', 'Subnormal'], scaled(gaussianish(`r7/${dim}`, dim), F32_MIN_NORMAL)),
    c('only subnormal entries', ['Subnormal'], subnormals(`s1/${dim}`, dim)),
    c('random with -0.0 every 3rd entry and subnormals every 5th', ['NegativeZero', 'Subnormal'], mixedZeros),
    c('-0.0 everywhere except one entry 2', ['NegativeZero', 'OneHot', 'ProjectionTie'], sparse(dim, { 3: 2 }, -0)),
    c('entries with squares summing to 2^30: canonical values at exact halves', ['QuantisationTie'], quantisationTies(dim)),
    c('float32 maximum at index 0, the rest random times 2^-100', ['LargeMagnitude', 'SmallMagnitude'], hugeAndTiny),
  ];
}

/** A short list for the large groups (dimension 512): the cases most likely to expose a port bug. */
export function embeddingCasesShort(dim: number): EmbeddingCase[] {
  const keep = new Set([0, 1, 3, 4, 8, 11, 12, 14]);
  return embeddingCases(dim).filter((_, i) => keep.has(i));
}

/** The public centring mean of the centred groups: a large common component plus variation. */
export function centringMean(dim: number): Float32Array {
  return gaussianish(`mean/${dim}`, dim).map((v) => 0.5 + 0.1 * v);
}

/**
 * Label indices, found by search, of centred embeddings (the mean plus 0.2 times noise) whose
 * canonical vector changes when the mean is subtracted in float32 instead of float64.
 */
const FLOAT32_SUBTRACTION_TRAP: Readonly<Record<number, number>> = { 128: 2984, 512: 1101 };

/** The trap embedding of `dim`; fails generation if it no longer has its property. */
function float32SubtractionTrap(mean: Float32Array): Float32Array {
  const dim = mean.length;
  const x = perturbed(mean, `f32sub/${dim}/${FLOAT32_SUBTRACTION_TRAP[dim]}`, 0.2);
  const reference = _canonicalise(x, mean);
  const float32 = _canonicalise(Float32Array.from(x, (v, i) => v - mean[i]!));
  if (reference.every((v, i) => v === float32[i])) throw new Error(`float32SubtractionTrap(${dim}): no difference`);
  return x;
}

/** Centred cases (dimensions 128 and 512): embeddings that share the mean's common component. */
export function centredCases(dim: number): EmbeddingCase[] {
  const mean = centringMean(dim);
  const a = perturbed(mean, `c1/${dim}`, 0.2);
  const nextUp = Float32Array.from(mean);
  new Uint32Array(nextUp.buffer)[5]! += 1; // mean[5] > 0: the next float32 above it
  return [
    c('common component plus noise', ['Centred', 'Random'], a),
    c('common component plus noise', ['Centred', 'Random'], perturbed(mean, `c2/${dim}`, 0.2)),
    c('perturbed copy of the first', ['Centred', 'Perturbed'], perturbed(a, `c3/${dim}`, 0.05)),
    c('the mean with one entry one ulp higher', ['Centred', 'Cancellation', 'OneHot', 'ProjectionTie'], nextUp),
    c('all-zero embedding (the negated mean after centring)', ['Centred'], new Float32Array(dim)),
    c('the mean plus and minus 2^-10 at two entries', ['Centred', 'Cancellation', 'ProjectionTie'],
      mean.map((v, i) => (i === 2 ? v + 2 ** -10 : i === dim - 3 ? v - 2 ** -10 : v))),
    c('centring in float32 would round one entry the other way', ['Centred', 'Float64Centring'], float32SubtractionTrap(mean)),
  ];
}

/** Hex of an embedding case. */
export function caseHex(e: EmbeddingCase): string {
  return f32ToHex(e.x);
}
