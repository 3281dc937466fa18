// samplers_v1_1.json (conformance v1.1): sampler arguments out of range (SPEC.md §3.3–3.5 and the
// bounds of the sampler vectors, §1): n = 0 and n = 2^32 + 1 for uniform, n above 4096 and k
// above n for a permutation, count 0 and 4097, a stream key of 31 bytes — each a RangeError —
// beside the edges that are still valid (n = 2^32, k = n = 4096, count 4096).
import { samplersChecker } from '../../src/conformance/checkers/samplers.js';
import { toHex } from '../../src/conformance/index.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  Edge: 'An argument at the edge of its range: valid.',
  OutOfRange: 'An argument outside its range: RangeError.',
} as const;

const KEY = toHex(labelBytes('samplers-v1-1/stream-key', 32));
const ok = (comment: string, fields: Record<string, number>): TestSpec => ({ comment, flags: ['Edge'], streamKey: KEY, ...fields });
const no = (comment: string, fields: Record<string, number | string>): TestSpec => ({ comment, flags: ['OutOfRange'], streamKey: KEY, ...fields, error: 'RangeError' });

export const samplersV11Vectors: VectorGenerator = {
  file: 'samplers_v1_1.json',
  generate: () => envelope(samplersChecker, {
    algorithm: 'templock samplers v1 (conformance v1.1 additions)',
    notes: NOTES,
    testGroups: [
      { type: 'SamplerTest', sampler: 'uniform', tests: [
        ok('n = 2^32', { n: 2 ** 32, count: 3 }),
        no('n = 0', { n: 0, count: 1 }),
        no('n = 2^32 + 1', { n: 2 ** 32 + 1, count: 1 }),
        no('count = 0', { n: 10, count: 0 }),
        no('count = 4097', { n: 10, count: 4097 }),
        no('stream key of 31 bytes', { n: 10, count: 1, streamKey: KEY.slice(0, 62) }),
      ] },
      { type: 'SamplerTest', sampler: 'permutation', tests: [
        ok('n = k = 4096', { n: 4096, k: 4096, count: 1 }),
        no('n = 4097', { n: 4097, k: 1, count: 1 }),
        no('k = n + 1', { n: 16, k: 17, count: 1 }),
        no('k = 0', { n: 16, k: 0, count: 1 }),
      ] },
      { type: 'SamplerTest', sampler: 'binomial', tests: [
        ok('count = 4096', { count: 4096 }),
        no('count = 4097', { count: 4097 }),
      ] },
    ],
  }),
};
