// compare_v1.json: pairs of encoded templates and their score (SPEC.md §4.4): identical,
// genuine (perturbed), impostor, cross-salt and opposite pairs per scheme, then pairs that must
// fail: different key, parameters, scheme or mean (INCOMPATIBLE) and malformed bytes.
import { compareChecker } from '../../src/conformance/checkers/compare.js';
import { toHex, type JsonValue } from '../../src/conformance/index.js';
import { encodeTemplate } from '../../src/template.js';
import { protect, type ProtectParams } from '../../src/transforms/protect.js';
import type { TransformParams } from '../../src/transforms/scheme.js';
import { centringMean } from './_embeddings.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { gaussianish, labelBytes, perturbed, sparse } from './_inputs.js';

const NOTES = {
  Identical: 'The same template twice: score 1.',
  Genuine: 'Templates of an embedding and a perturbed copy, same key and salt.',
  Impostor: 'Templates of unrelated embeddings, same key and salt.',
  CrossSalt: 'The same embedding under two salts: scores like an impostor.',
  Opposite: 'An embedding and its negation.',
  OneHot: 'One-hot embeddings (many exact ties).',
  Centred: 'Both templates were centred by the same mean.',
  Incompatible: 'Different scheme, parameters, key or mean: not comparable.',
  WrongKey: 'The two templates were made under different keys.',
  Malformed: 'A template that does not decode.',
} as const;

const key1 = labelBytes('key/compare/1', 32);
const key2 = labelBytes('key/compare/2', 32);
const salt1 = labelBytes('salt/compare/1', 16);
const salt2 = labelBytes('salt/compare/2', 16);

function t(x: Float32Array, params: ProtectParams, key = key1, salt = salt1): Uint8Array {
  return encodeTemplate(protect(x, params, key, salt));
}

function pair(comment: string, flags: string[], a: Uint8Array, b: Uint8Array, error?: string): TestSpec {
  const spec: Record<string, JsonValue> = { comment, flags, a: toHex(a), b: toHex(b) };
  return (error ? { ...spec, error } : spec) as unknown as TestSpec;
}

function scorePairs(params: TransformParams): TestSpec[] {
  const d = params.dim;
  const x = gaussianish(`compare/x/${d}`, d);
  const y = gaussianish(`compare/y/${d}`, d);
  const tx = t(x, params);
  return [
    pair('identical', ['Identical'], tx, tx),
    pair('genuine, eps 0.1', ['Genuine'], tx, t(perturbed(x, `compare/n1/${d}`, 0.1), params)),
    pair('genuine, eps 0.3', ['Genuine'], tx, t(perturbed(x, `compare/n2/${d}`, 0.3), params)),
    pair('impostor', ['Impostor'], tx, t(y, params)),
    pair('same embedding, two salts', ['CrossSalt'], tx, t(x, params, key1, salt2)),
    pair('embedding and its negation', ['Opposite'], tx, t(x.map((v) => -v), params)),
    pair('one-hot at 0 and one-hot at 1', ['OneHot'], t(sparse(d, { 0: 1 }), params), t(sparse(d, { 1: 1 }), params)),
  ];
}

export const compareVectors: VectorGenerator = {
  file: 'compare_v1.json',
  generate: () => {
    const grp: TransformParams = { scheme: 'iom-grp', dim: 128, m: 64, q: 8 };
    const urp: TransformParams = { scheme: 'iom-urp', dim: 128, m: 64, k: 16, p: 2 };
    const sgn: TransformParams = { scheme: 'sign', dim: 128, bits: 256 };
    const mean = centringMean(128);
    const x = gaussianish('compare/x/128', 128);
    const centred = (p: TransformParams, m = mean): ProtectParams => ({ ...p, mean: m });
    const tx = t(x, grp);
    const bad = (bytes: Uint8Array, f: (b: Uint8Array) => Uint8Array) => f(Uint8Array.from(bytes));
    const unsupported = bad(tx, (b) => { b[4] = 2; return b; });
    return envelope(compareChecker, {
      algorithm: 'templock template comparison v1',
      notes: NOTES,
      testGroups: [
        ...[grp, urp, sgn, { scheme: 'iom-grp', dim: 512, m: 512, q: 16 }, { scheme: 'iom-urp', dim: 512, m: 512, k: 16, p: 2 }, { scheme: 'sign', dim: 512, bits: 512 }]
          .map((p) => ({ type: 'CompareTest', tests: scorePairs(p as TransformParams) })),
        { type: 'CompareTest', tests: [grp, urp, sgn].map((p) =>
          pair(`${p.scheme}: centred genuine pair`, ['Centred', 'Genuine'], t(x.map((v, i) => v + mean[i]!), centred(p)), t(perturbed(x, 'compare/c', 0.2).map((v, i) => v + mean[i]!), centred(p)))) },
        { type: 'CompareTest', tests: [
          pair('different keys', ['Incompatible', 'WrongKey'], tx, t(x, grp, key2), 'INCOMPATIBLE'),
          pair('different keys, sign', ['Incompatible', 'WrongKey'], t(x, sgn), t(x, sgn, key2, salt2), 'INCOMPATIBLE'),
          pair('different m', ['Incompatible'], tx, t(x, { ...grp, m: 32 }), 'INCOMPATIBLE'),
          pair('different q (same payload length)', ['Incompatible'], tx, t(x, { ...grp, q: 9 }), 'INCOMPATIBLE'),
          pair('different scheme, same payload length', ['Incompatible'], tx, t(x, { scheme: 'iom-urp', dim: 128, m: 64, k: 8, p: 1 }), 'INCOMPATIBLE'),
          pair('different dimension', ['Incompatible'], tx, t(gaussianish('compare/x/256', 256), { ...grp, dim: 256 }), 'INCOMPATIBLE'),
          pair('centred and uncentred', ['Incompatible', 'Centred'], tx, t(x, centred(grp)), 'INCOMPATIBLE'),
          pair('two different means', ['Incompatible', 'Centred'], t(x, centred(grp)), t(x, centred(grp, mean.map((v) => v * 2))), 'INCOMPATIBLE'),
          pair('a truncated by one byte', ['Malformed'], tx.subarray(0, tx.length - 1), tx, 'MALFORMED'),
          pair('b with a trailing byte', ['Malformed'], tx, Uint8Array.of(...tx, 0), 'MALFORMED'),
          pair('a of format version 2', ['Malformed'], unsupported, tx, 'UNSUPPORTED_VERSION'),
          pair('a malformed and b of version 2: a is decoded first', ['Malformed'], tx.subarray(0, 29), unsupported, 'MALFORMED'),
        ] },
      ],
    });
  },
};
