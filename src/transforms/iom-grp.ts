// IoM-GRP (SPEC.md §4.1): m hash functions; hash j is the index of the largest of q integer
// Gaussian-like projections of the canonical vector, the smallest index winning a tie.
import { _binomialWeights } from '../random/samplers.js';
import type { _KeyStream } from '../random/keystream.js';
import { aInt } from '../validate.js';
import { IOM_M_MAX, IOM_M_MIN, _equalIndexScore, _indicesBelow } from './index-of-max.js';
import { _projectRow } from './projection.js';
import type { _Scheme, IomGrpParams } from './scheme.js';

/** Largest projection matrix (m * q * dim weights, one byte each) a parameter set may need. */
export const IOM_GRP_MAX_WEIGHTS = 1 << 26;

export const iomGrp: _Scheme<IomGrpParams, Int8Array> = {
  name: 'iom-grp',
  id: 1,
  check(p) {
    aInt('m', p.m, IOM_M_MIN, IOM_M_MAX);
    aInt('q', p.q, 2, 256);
    if (p.m * p.q * p.dim > IOM_GRP_MAX_WEIGHTS)
      throw new RangeError(`"m * q * dim" expected at most ${IOM_GRP_MAX_WEIGHTS}, got ${p.m * p.q * p.dim}`);
  },
  toHeader: (p) => ({ a: p.m, b: p.q, c: 0 }),
  fromHeader(dim, h) {
    const p: IomGrpParams = { scheme: 'iom-grp', dim, m: h.a, q: h.b };
    return h.c === 0 && p.m >= IOM_M_MIN && p.m <= IOM_M_MAX && p.q >= 2 && p.q <= 256 &&
      p.m * p.q * dim <= IOM_GRP_MAX_WEIGHTS ? p : undefined;
  },
  payloadBytes: (p) => p.m,
  payloadValid: (p, payload) => _indicesBelow(payload, p.q),
  materialBytes: (p) => p.m * p.q * p.dim,
  derive: (ks: _KeyStream, p) => _binomialWeights(ks, p.m * p.q * p.dim),
  apply(v, W, p, out) {
    for (let j = 0; j < p.m; j++) {
      const row0 = j * p.q;
      let best = _projectRow(W, row0, v);
      let arg = 0;
      for (let t = 1; t < p.q; t++) {
        const s = _projectRow(W, row0 + t, v);
        if (s > best) { best = s; arg = t; }
      }
      out[j] = arg;
    }
  },
  score: (a, b) => _equalIndexScore(a, b),
};
