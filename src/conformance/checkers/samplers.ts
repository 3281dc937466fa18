// Checker of samplers_v1.json (SPEC.md §3.3–3.5): the integer samplers run directly on the
// keystream of a given stream key, including moduli that make rejection sampling reject often.
import { _KeyStream } from '../../random/keystream.js';
import { _binomialWeights, _partialPermutation, _uniform } from '../../random/samplers.js';
import { aBytes, aInt } from '../../validate.js';
import { fromHex } from '../codec.js';
import { num, str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const samplersChecker: VectorChecker = {
  schema: 'samplers_v1.schema.json',
  outputKey: 'values',
  run(group, test) {
    const ks = new _KeyStream(aBytes('streamKey', fromHex(str(test, 'streamKey'), 'streamKey'), 32));
    const count = aInt('count', num(test, 'count'), 1, 4096);
    const sampler = str(group, 'sampler');
    if (sampler === 'uniform') {
      const n = aInt('n', num(test, 'n'), 1, 2 ** 32);
      return Array.from({ length: count }, () => _uniform(ks, n));
    }
    if (sampler === 'permutation') {
      const n = aInt('n', num(test, 'n'), 1, 4096);
      const k = aInt('k', num(test, 'k'), 1, n);
      return Array.from({ length: count }, () => {
        const out = new Uint16Array(k);
        _partialPermutation(ks, n, k, out, 0);
        return Array.from(out);
      });
    }
    if (sampler === 'binomial') return Array.from(_binomialWeights(ks, count));
    throw new RangeError('"sampler" expected one of uniform, permutation, binomial');
  },
};
