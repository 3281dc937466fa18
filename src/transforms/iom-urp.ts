// IoM-URP (SPEC.md §4.2): m hash functions; hash j takes p random permutations of the canonical
// vector, multiplies them element-wise over the first k positions (exact: |product| <= 2^42)
// and keeps the index of the largest product, the smallest index winning a tie.
import { _partialPermutation } from '../random/samplers.js';
import type { _KeyStream } from '../random/keystream.js';
import { aInt } from '../validate.js';
import { IOM_M_MAX, IOM_M_MIN, _equalIndexScore, _indicesBelow } from './index-of-max.js';
import type { _Scheme, IomUrpParams } from './scheme.js';

export const iomUrp: _Scheme<IomUrpParams, Uint16Array> = {
  name: 'iom-urp',
  id: 2,
  check(p) {
    aInt('m', p.m, IOM_M_MIN, IOM_M_MAX);
    aInt('k', p.k, 2, Math.min(p.dim, 256));
    aInt('p', p.p, 1, 3);
  },
  toHeader: (p) => ({ a: p.m, b: p.k, c: p.p }),
  fromHeader(dim, h) {
    const p: IomUrpParams = { scheme: 'iom-urp', dim, m: h.a, k: h.b, p: h.c };
    return p.m >= IOM_M_MIN && p.m <= IOM_M_MAX && p.k >= 2 && p.k <= Math.min(dim, 256) &&
      p.p >= 1 && p.p <= 3 ? p : undefined;
  },
  payloadBytes: (p) => p.m,
  payloadValid: (p, payload) => _indicesBelow(payload, p.k),
  materialBytes: (p) => 2 * p.m * p.p * p.k,
  derive(ks: _KeyStream, p) {
    const P = new Uint16Array(p.m * p.p * p.k);
    for (let r = 0; r < p.m * p.p; r++) _partialPermutation(ks, p.dim, p.k, P, r * p.k);
    return P;
  },
  apply(v, P, p, out) {
    for (let j = 0; j < p.m; j++) {
      const base = j * p.p * p.k;
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < p.k; i++) {
        let z = 1;
        for (let r = 0; r < p.p; r++) z *= v[P[base + r * p.k + i]!]!;
        if (z > best) { best = z; arg = i; }
      }
      out[j] = arg;
    }
  },
  score: (a, b) => _equalIndexScore(a, b),
};
