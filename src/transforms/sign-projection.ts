// Sign projection, BioHashing style (SPEC.md §4.3): `bits` integer random projections of the
// canonical vector, bit l = 1 exactly when projection l is > 0 (a zero projection gives 0),
// packed least-significant bit first. Score: 1 - Hamming distance / bits.
import { POPCOUNT8 } from '../bits.js';
import { _binomialWeights } from '../random/samplers.js';
import type { _KeyStream } from '../random/keystream.js';
import { aInt } from '../validate.js';
import { _projectRow } from './projection.js';
import type { _Scheme, SignParams } from './scheme.js';

// bits <= 8192 and dim <= 4096 bound the matrix at 2^25 weights (32 MiB): no product check needed.
export const signProjection: _Scheme<SignParams, Int8Array> = {
  name: 'sign',
  id: 3,
  check(p) {
    aInt('bits', p.bits, 64, 8192);
    if (p.bits % 64 !== 0) throw new RangeError(`"bits" expected a multiple of 64, got ${p.bits}`);
  },
  toHeader: (p) => ({ a: p.bits, b: 0, c: 0 }),
  fromHeader(dim, h) {
    const p: SignParams = { scheme: 'sign', dim, bits: h.a };
    return h.b === 0 && h.c === 0 && p.bits >= 64 && p.bits <= 8192 && p.bits % 64 === 0 ? p : undefined;
  },
  payloadBytes: (p) => p.bits / 8,
  payloadValid: () => true,
  materialBytes: (p) => p.bits * p.dim,
  derive: (ks: _KeyStream, p) => _binomialWeights(ks, p.bits * p.dim),
  apply(v, W, p, out) {
    out.fill(0);
    for (let l = 0; l < p.bits; l++) if (_projectRow(W, l, v) > 0) out[l >> 3]! |= 1 << (l & 7);
  },
  score(a, b, p) {
    let h = 0;
    for (let i = 0; i < a.length; i++) h += POPCOUNT8[a[i]! ^ b[i]!]!;
    return 1 - h / p.bits;
  },
};
