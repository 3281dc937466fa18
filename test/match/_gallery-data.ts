// Shared data of the gallery suites: a reference template per scheme and seeded random payloads
// (low-entropy, so that many scores tie), plus the brute-force oracle of identify().
import { compareTemplates, protect, type ProtectedTemplate, type TransformParams } from '../../src/index.js';
import type { Candidate } from '../../src/match/index.js';
import { Seeded } from '../_lib/seeded.js';

export const GALLERY_PARAMS: TransformParams[] = [
  { scheme: 'sign', dim: 64, bits: 512 },
  { scheme: 'iom-grp', dim: 64, m: 48, q: 4 },
  { scheme: 'iom-urp', dim: 64, m: 37, k: 8, p: 2 },
];

/** A template of `params` under a fixed key and salt, to fix a gallery's reference. */
export function referenceTemplate(params: TransformParams, rng: Seeded, salt = rng.bytes(16)): ProtectedTemplate {
  return protect(rng.unitVector(params.dim), params, rng.bytes(32), salt);
}

/** `count` payloads valid for the reference's parameters, low entropy (many equal scores). */
export function randomPayloads(ref: ProtectedTemplate, count: number, rng: Seeded): Uint8Array {
  const n = ref.payload.length;
  const mask = ref.params.scheme === 'sign' ? 0x0f : 0x03;
  return rng.bytes(count * n).map((x) => x & mask);
}

/** The template of the reference's key and salt holding `payload`. */
export function withPayload(ref: ProtectedTemplate, payload: Uint8Array): ProtectedTemplate {
  return { ...ref, payload };
}

/** identify() of a gallery disclosing exact scores, by brute force: best first, ties in enrolment order. */
export function oracle(ref: ProtectedTemplate, enrolled: readonly [string, Uint8Array][], probe: Uint8Array, k: number, threshold: number): Candidate[] {
  const p = withPayload(ref, probe);
  return enrolled
    .map(([id, payload], row) => ({ id, score: compareTemplates(p, withPayload(ref, payload)), row }))
    .filter((c) => c.score >= threshold)
    .sort((a, b) => b.score - a.score || a.row - b.row)
    .slice(0, k)
    .map(({ id, score }, i) => ({ id, rank: i + 1, score }));
}
