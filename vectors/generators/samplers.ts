// samplers_v1.json: the integer samplers of SPEC.md §3.3–3.5 run directly on the keystream of a
// stream key, with moduli chosen so that rejection sampling rejects often (n = 2^31 + 1 rejects
// almost half of all words; n = 3 * 2^30 a quarter).
import { samplersChecker } from '../../src/conformance/checkers/samplers.js';
import { envelope, type VectorGenerator } from './_envelope.js';
import { vectorKey } from './_inputs.js';

const NOTES = {
  Rejection: 'A modulus for which a large share of the 32-bit words is rejected.',
  PowerOfTwo: 'A power-of-two modulus: no word is ever rejected.',
  FullPermutation: 'k = n: the whole Fisher-Yates shuffle.',
  InvalidArgument: 'An argument outside its range.',
} as const;

const sk = (label: string) => vectorKey(`sampler/${label}`);

export const samplersVectors: VectorGenerator = {
  file: 'samplers_v1.json',
  generate: () => envelope(samplersChecker, {
    algorithm: 'templock samplers v1',
    notes: NOTES,
    testGroups: [
      { type: 'SamplerTest', sampler: 'uniform', tests: [
        { comment: 'n = 1: always 0, one word consumed per draw', flags: ['PowerOfTwo'], streamKey: sk('u1'), n: 1, count: 8 },
        { comment: 'n = 3', flags: [], streamKey: sk('u3'), n: 3, count: 64 },
        { comment: 'n = 128 (a dimension)', flags: ['PowerOfTwo'], streamKey: sk('u128'), n: 128, count: 64 },
        { comment: 'n = 4095', flags: [], streamKey: sk('u4095'), n: 4095, count: 64 },
        { comment: 'n = 2^31 + 1: limit 2^31 + 1, about half the words rejected', flags: ['Rejection'], streamKey: sk('u2^31+1'), n: 2 ** 31 + 1, count: 64 },
        { comment: 'n = 3 * 2^30: a quarter of the words rejected', flags: ['Rejection'], streamKey: sk('u3*2^30'), n: 3 * 2 ** 30, count: 64 },
        { comment: 'n = 2^32: the words themselves', flags: ['PowerOfTwo'], streamKey: sk('u2^32'), n: 2 ** 32, count: 16 },
        { comment: 'n = 0', flags: ['InvalidArgument'], streamKey: sk('u0'), n: 0, count: 1, error: 'RangeError' },
        { comment: 'n = 2^32 + 1', flags: ['InvalidArgument'], streamKey: sk('u0'), n: 2 ** 32 + 1, count: 1, error: 'RangeError' },
      ] },
      { type: 'SamplerTest', sampler: 'permutation', tests: [
        { comment: 'n = 10, k = 10, three permutations in sequence', flags: ['FullPermutation'], streamKey: sk('p10'), n: 10, k: 10, count: 3 },
        { comment: 'n = 128, k = 16, four permutations in sequence', flags: [], streamKey: sk('p128'), n: 128, k: 16, count: 4 },
        { comment: 'n = 4096, k = 3', flags: [], streamKey: sk('p4096'), n: 4096, k: 3, count: 2 },
        { comment: 'n = 1, k = 1', flags: ['FullPermutation'], streamKey: sk('p1'), n: 1, k: 1, count: 2 },
        { comment: 'k = 11 > n = 10', flags: ['InvalidArgument'], streamKey: sk('p10'), n: 10, k: 11, count: 1, error: 'RangeError' },
      ] },
      { type: 'SamplerTest', sampler: 'binomial', tests: [
        { comment: '64 weights', flags: [], streamKey: sk('b64'), count: 64 },
        { comment: '1000 weights', flags: [], streamKey: sk('b1000'), count: 1000 },
      ] },
    ],
  }),
};
