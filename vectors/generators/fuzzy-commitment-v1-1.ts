// fuzzy_commitment_v1_1.json (conformance v1.1): key-binding cases that single out the tie rule
// of SPEC.md §4.5.4 step 2 (a soft vote of exactly 0 gives codeword bit 0). Enrolment and probe
// have a few non-zero coordinates, so many votes are exact ties; the probe is chosen so that the
// number of codeword errors is at most t when ties vote 0 and above t when they vote 1 (released),
// and one the other way round (rejected).
import { fuzzyCommitmentChecker } from '../../src/conformance/checkers/fuzzy-commitment.js';
import { f32ToHex, toHex } from '../../src/conformance/index.js';
import { _canonicalise } from '../../src/canonical.js';
import { _bchCode, _bchEncode } from '../../src/transforms/bch.js';
import { _withProjections, type FuzzyCommitmentParams } from '../../src/transforms/fuzzy-commitment.js';
import { bindKey } from '../../src/transforms/key-binding.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  TieVote: 'Some soft votes are exactly 0; whether the key is released depends on their counting as bit 0.',
} as const;

const P: FuzzyCommitmentParams = { scheme: 'fuzzy-commitment', dim: 32, m: 6, t: 5, r: 3 };

/** A vector with `count` coordinates of ±1 at positions and signs drawn from `label`. */
function sparse(label: string, count: number): Float32Array {
  const bytes = labelBytes(label, 2 * count);
  const x = new Float32Array(P.dim);
  for (let i = 0; i < count; i++) x[bytes[2 * i]! % P.dim] = bytes[2 * i + 1]! & 1 ? -1 : 1;
  return x;
}

/** Codeword errors of `probe` against the codeword of `message`, with ties voting 0 and voting 1. */
function errors(probe: Float32Array, key: Uint8Array, salt: Uint8Array, helper: Uint8Array, message: Uint8Array): [number, number] {
  const code = _bchCode(P.m, P.t);
  const bits = Uint8Array.from({ length: code.k }, (_, i) => (message[i >> 3]! >> (i & 7)) & 1);
  const c = _bchEncode(code, bits);
  const soft = new Float64Array(code.n);
  _withProjections(_canonicalise(probe), P, key, salt, (proj, slot) => {
    for (let l = 0; l < proj.length; l++) soft[slot[l]!]! += (helper[l >> 3]! >> (l & 7)) & 1 ? -proj[l]! : proj[l]!;
  });
  let tieZero = 0, tieOne = 0;
  for (let j = 0; j < code.n; j++) {
    tieZero += (soft[j]! > 0 ? 1 : 0) !== c[j] ? 1 : 0;
    tieOne += (soft[j]! >= 0 ? 1 : 0) !== c[j] ? 1 : 0;
  }
  return [tieZero, tieOne];
}

/** The first (enrolment, probe) pair from the seeded sequence where ties decide `released`. */
function decidedByTies(released: boolean): TestSpec {
  const key = labelBytes('key/fuzzy-v1-1', 32), salt = labelBytes('salt/fuzzy-v1-1', 16);
  const secret = labelBytes('secret/fuzzy-v1-1', Math.ceil(_bchCode(P.m, P.t).k / 8));
  secret[secret.length - 1]! &= (1 << (_bchCode(P.m, P.t).k & 7 || 8)) - 1;
  for (let n = 0; n < 1_000_000; n++) {
    const x = sparse(`fuzzy-v1-1/x/${n}`, 3);
    const probe = Float32Array.from(x);
    const extra = sparse(`fuzzy-v1-1/probe/${n}`, 1);
    for (let i = 0; i < P.dim; i++) if (extra[i] !== 0 && probe[i] === 0) probe[i] = extra[i]!;
    if (x.every((v) => v === 0) || probe.every((v, i) => v === x[i])) continue;
    const { template } = bindKey(x, P, key, salt, secret);
    const [zero, one] = errors(probe, key, salt, template.helper, secret);
    if ((zero <= P.t) === released && (one <= P.t) !== released) {
      return { comment: `ties decide: ${zero} codeword errors counting ties as 0, ${one} as 1 (t = ${P.t})`, flags: ['TieVote'], key: toHex(key), salt: toHex(salt), secret: toHex(secret), embedding: f32ToHex(x), probe: f32ToHex(probe) };
    }
  }
  throw new Error('fuzzy commitment v1.1: no pair decided by ties');
}

export const fuzzyCommitmentV11Vectors: VectorGenerator = {
  file: 'fuzzy_commitment_v1_1.json',
  generate: () => envelope(fuzzyCommitmentChecker, {
    algorithm: 'templock key binding by fuzzy commitment v1 (conformance v1.1 additions)',
    notes: NOTES,
    testGroups: [{ type: 'BindTest', params: { ...P }, tests: [decidedByTies(true), decidedByTies(false)] }],
  }),
};
