// protect_v1_1.json (conformance v1.1): transform vectors that single out one rule each. An
// IoM-URP embedding whose winning product exceeds the runner-up by 1 at 2^26, where float32 products
// tie (SPEC.md §4.2 products are exact integers); and parameter sets out of range given an
// embedding of their own dimension, so that only the parameter rule can reject them (§1.1).
import { protectChecker } from '../../src/conformance/checkers/protect.js';
import { f32ToHex, fromHex, type JsonValue } from '../../src/conformance/index.js';
import { _deriveStreamKey, _KeyStream } from '../../src/random/keystream.js';
import { _prepare } from '../../src/transforms/protect.js';
import { _schemeOf } from '../../src/transforms/registry.js';
import type { IomUrpParams } from '../../src/transforms/scheme.js';
import { envelope, type GroupSpec, type VectorGenerator } from './_envelope.js';
import { gaussianish, vectorKey, vectorSalt } from './_inputs.js';

const NOTES = {
  ProductWindow: 'Two IoM-URP products differ by 1 at 2^26: exact integer products decide, float32 products would tie.',
  OwnDimension: 'The embedding has the dimension the parameters name, so only the parameter rule can reject them.',
  InvalidParameters: 'A transform parameter is outside its range.',
  WrongType: 'The parameters, or a field of them, are of the wrong JSON type.',
  NegativeZeroMean: 'The centring mean contains -0: the mean identifier keeps the sign of zero (SPEC.md §3.1).',
} as const;

const URP: IomUrpParams = { scheme: 'iom-urp', dim: 32, m: 16, k: 2, p: 2 };

/**
 * An embedding for URP under (key, salt) whose hash 0 compares candidate 0, product
 * 8191 · 8193 = 2^26 − 1, with candidate 1, product 8192 · 8192 = 2^26 (every other coordinate 0):
 * the exact argmax is 1; in float32 both products are 2^26 and the tie goes to 0. Undefined when
 * the four coordinates of hash 0 are not distinct under this key and salt.
 */
function productWindow(key: string, salt: string): Float32Array | undefined {
  const prep = _prepare(URP, fromHex(key));
  const P = _schemeOf(URP).derive(new _KeyStream(_deriveStreamKey(prep.key, fromHex(salt), prep.info)), URP) as Uint16Array;
  const at = (r: number, i: number) => P[r * URP.k + i]!;
  const idx = [at(0, 0), at(1, 0), at(0, 1), at(1, 1)];
  if (new Set(idx).size !== 4) return undefined;
  const x = new Float32Array(URP.dim);
  x[idx[0]!] = 8191; x[idx[1]!] = 8193; x[idx[2]!] = 8192; x[idx[3]!] = 8192;
  return x;
}

function windowGroup(): GroupSpec {
  for (let n = 0; ; n++) {
    const key = vectorKey(`protect-v1-1/window/${n}`), salt = vectorSalt(`protect-v1-1/window/${n}`);
    const x = productWindow(key, salt);
    if (x) return { type: 'ProtectTest', params: { ...URP }, tests: [{ comment: 'hash 0: products 2^26 - 1 and 2^26 (float32 would tie)', flags: ['ProductWindow'], key, salt, embedding: f32ToHex(x) }] };
  }
}

/** A sign template centred by a mean whose entries 0 and 5 are -0 (the identifier differs from +0's). */
function negativeZeroMean(): GroupSpec {
  const mean = Float32Array.from(gaussianish('protect-v1-1/mean', 64), (v) => v * 0.1);
  mean[0] = -0;
  mean[5] = -0;
  return { type: 'ProtectTest', params: { scheme: 'sign', dim: 64, bits: 128 }, mean: f32ToHex(mean), tests: [{
    comment: 'mean with -0 entries', flags: ['NegativeZeroMean'], key: vectorKey('protect-v1-1/mean'), salt: vectorSalt('protect-v1-1/mean'),
    embedding: f32ToHex(gaussianish('protect-v1-1/x64', 64)),
  }] };
}

/** Parameters of the wrong type: TypeError (SPEC.md §1.1), whatever the embedding. */
function wrongType(comment: string, params: JsonValue): GroupSpec {
  return { type: 'ProtectTest', params, tests: [{
    comment, flags: ['WrongType'], key: vectorKey('protect-v1-1/invalid'), salt: vectorSalt('protect-v1-1/invalid'),
    embedding: f32ToHex(gaussianish('protect-v1-1/64', 64)), error: 'TypeError',
  }] };
}

/** A parameter set rejected with RangeError although the embedding has its dimension. */
function invalid(comment: string, params: Record<string, string | number>): GroupSpec {
  const dim = params.dim as number;
  return { type: 'ProtectTest', params, tests: [{
    comment, flags: ['InvalidParameters', 'OwnDimension'], key: vectorKey('protect-v1-1/invalid'), salt: vectorSalt('protect-v1-1/invalid'),
    embedding: f32ToHex(gaussianish(`protect-v1-1/${dim}`, dim)), error: 'RangeError',
  }] };
}

export const protectV11Vectors: VectorGenerator = {
  file: 'protect_v1_1.json',
  generate: () => envelope(protectChecker, {
    algorithm: 'templock transforms v1 (conformance v1.1 additions)',
    notes: NOTES,
    testGroups: [
      windowGroup(),
      negativeZeroMean(),
      invalid('sign, bits 72 (a multiple of 8, not of 64), dim 64', { scheme: 'sign', dim: 64, bits: 72 }),
      invalid('IoM-GRP, m·q·d = 4096·8·4096 = 2^27 > 2^26, dim 4096', { scheme: 'iom-grp', dim: 4096, m: 4096, q: 8 }),
      invalid('IoM-URP, k 257 > 256, dim 512', { scheme: 'iom-urp', dim: 512, m: 16, k: 257, p: 1 }),
      invalid('IoM-URP, k 65 > dim 64', { scheme: 'iom-urp', dim: 64, m: 16, k: 65, p: 1 }),
      invalid('sign, dim 31 (below 32)', { scheme: 'sign', dim: 31, bits: 64 }),
      invalid('sign, dim 4097 (above 4096)', { scheme: 'sign', dim: 4097, bits: 64 }),
      wrongType('scheme given as a number', { scheme: 3, dim: 64, bits: 64 }),
      wrongType('dim given as a string', { scheme: 'sign', dim: '64', bits: 64 }),
      wrongType('params given as an array', ['sign', 64, 64]),
      wrongType('params given as a string', 'sign'),
    ],
  }),
};
