// canonical_v1.json: the canonical integer vectors (SPEC.md §2) of every embedding case the
// transform files use, so a port can check its one floating-point step on its own.
import { canonicalChecker } from '../../src/conformance/checkers/canonical.js';
import { f32ToHex } from '../../src/conformance/index.js';
import { caseHex, centredCases, centringMean, EMBEDDING_NOTES, embeddingCases, embeddingCasesShort, type EmbeddingCase } from './_embeddings.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';

const NOTES = { ...EMBEDDING_NOTES, InvalidEmbedding: 'Non-finite value, wrong length, or zero after centring.' } as const;

const tests = (cases: readonly EmbeddingCase[]): TestSpec[] => cases.map((e) => ({ comment: e.comment, flags: e.flags, embedding: caseHex(e) }));

function invalid(comment: string, x: Float32Array): TestSpec {
  return { comment, flags: ['InvalidEmbedding'], embedding: f32ToHex(x), error: 'RangeError' };
}

export const canonicalVectors: VectorGenerator = {
  file: 'canonical_v1.json',
  generate: () => {
    const mean = centringMean(128);
    const nan = new Float32Array(128).fill(0.5);
    nan[9] = NaN;
    const inf = new Float32Array(128).fill(0.5);
    inf[127] = -Infinity;
    return envelope(canonicalChecker, {
      algorithm: 'templock canonicalisation v1',
      notes: NOTES,
      testGroups: [
        { type: 'CanonicalTest', dim: 128, tests: [
          ...tests(embeddingCases(128)),
          invalid('a NaN entry', nan),
          invalid('a -Infinity entry', inf),
          invalid('all zeros', new Float32Array(128)),
          invalid('127 entries for dim 128', new Float32Array(127).fill(1)),
        ] },
        { type: 'CanonicalTest', dim: 128, mean: f32ToHex(mean), tests: [
          ...tests(centredCases(128)),
          { comment: 'embedding equal to the mean', flags: ['Centred', 'InvalidEmbedding'], embedding: f32ToHex(mean), error: 'RangeError' },
        ] },
        { type: 'CanonicalTest', dim: 512, tests: tests(embeddingCasesShort(512)) },
        { type: 'CanonicalTest', dim: 33, tests: tests(embeddingCases(33)) },
      ],
    });
  },
};
