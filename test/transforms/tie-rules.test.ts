// Tie rules (SPEC.md §4): on inputs built to tie - one-hot vectors and vectors of a few equal
// magnitudes - IoM-GRP takes the smallest index among equal maximal projections, IoM-URP the
// smallest index among equal maximal products, and sign projection maps a zero projection to bit 0.
// The expected payloads come from the straightforward implementation below, written from
// SPEC.md §3–§4 (noble HKDF and ChaCha20 for the stream; the samplers of _reference.ts;
// projections and argmax here).
import { chacha20 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { protect, type IomGrpParams, type IomUrpParams, type SignParams, type TransformParams } from '../../src/index.js';
import { _canonicalise } from '../../src/canonical.js';
import { Seeded } from '../_lib/seeded.js';
import { hex } from './_fixtures.js';
import { binomialWeightsRef, partialPermutationRef, ReferenceReader } from './_reference.js';

const rng = new Seeded('tie-rules');
const key = rng.bytes(32);
const salt = rng.bytes(20);
const dim = 64;

function keystream(p: TransformParams, bytes: number): Uint8Array {
  const id = { 'iom-grp': 1, 'iom-urp': 2, sign: 3 }[p.scheme];
  const [a, b, c] = p.scheme === 'iom-grp' ? [p.m, p.q, 0] : p.scheme === 'iom-urp' ? [p.m, p.k, p.p] : [p.bits, 0, 0];
  const block = new Uint8Array(8), dv = new DataView(block.buffer);
  block[0] = id; dv.setUint16(1, p.dim, true); dv.setUint16(3, a, true); dv.setUint16(5, b, true); block[7] = c;
  const info = new Uint8Array([...new TextEncoder().encode('templock/v1/transform'), ...block]);
  return chacha20(hkdf(sha256, key, salt, info, 32), new Uint8Array(12), new Uint8Array(bytes));
}
const weights = (p: TransformParams, count: number) => binomialWeightsRef(new ReferenceReader(keystream(p, 2 * count)), count);

/** Index of the first maximum, and whether the maximum occurs more than once. */
function firstMax(values: readonly number[]): { index: number; tied: boolean; lastIndex: number } {
  const max = Math.max(...values);
  return { index: values.indexOf(max), lastIndex: values.lastIndexOf(max), tied: values.indexOf(max) !== values.lastIndexOf(max) };
}

interface Expected { payload: number[]; ties: number; zeroProjections: number; lastIndexPayload: number[] }

function grpRef(p: IomGrpParams, v: readonly number[]): Expected {
  const w = weights(p, p.m * p.q * p.dim);
  const out: Expected = { payload: [], ties: 0, zeroProjections: 0, lastIndexPayload: [] };
  for (let j = 0; j < p.m; j++) {
    const proj = Array.from({ length: p.q }, (_, t) => v.reduce((acc, vi, i) => acc + w[(j * p.q + t) * p.dim + i]! * vi, 0));
    const r = firstMax(proj);
    out.payload.push(r.index); out.lastIndexPayload.push(r.lastIndex); out.ties += r.tied ? 1 : 0;
  }
  return out;
}

function urpRef(p: IomUrpParams, v: readonly number[]): Expected {
  const reader = new ReferenceReader(keystream(p, 8 * p.m * p.p * p.k + 4096));
  const perms = Array.from({ length: p.m * p.p }, () => partialPermutationRef(reader, p.dim, p.k));
  const out: Expected = { payload: [], ties: 0, zeroProjections: 0, lastIndexPayload: [] };
  for (let j = 0; j < p.m; j++) {
    const z = Array.from({ length: p.k }, (_, i) => perms.slice(j * p.p, (j + 1) * p.p).reduce((acc, perm) => acc * v[perm[i]!]!, 1));
    const r = firstMax(z);
    out.payload.push(r.index); out.lastIndexPayload.push(r.lastIndex); out.ties += r.tied ? 1 : 0;
  }
  return out;
}

function signRef(p: SignParams, v: readonly number[]): Expected {
  const w = weights(p, p.bits * p.dim);
  const out: Expected = { payload: new Array<number>(p.bits / 8).fill(0), ties: 0, zeroProjections: 0, lastIndexPayload: [] };
  for (let l = 0; l < p.bits; l++) {
    const proj = v.reduce((acc, vi, i) => acc + w[l * p.dim + i]! * vi, 0);
    if (proj === 0) out.zeroProjections++;
    if (proj > 0) out.payload[l >> 3] |= 1 << (l & 7);
  }
  return out;
}

/** Tie-prone inputs: one-hot vectors and vectors of a few entries of equal magnitude. */
function tieInputs(): Float32Array[] {
  const inputs: Float32Array[] = [];
  for (const i of [0, 17, dim - 1]) { const x = new Float32Array(dim); x[i] = i % 2 ? -1 : 1; inputs.push(x); }
  for (const nonzero of [2, 3, 4, 9]) {
    const x = new Float32Array(dim);
    for (let n = 0; n < nonzero; n++) x[rng.int(dim)] = rng.int(2) ? 0.25 : -0.25;
    inputs.push(x);
  }
  return inputs;
}

const cases: [TransformParams, (p: never, v: readonly number[]) => Expected][] = [
  [{ scheme: 'iom-grp', dim, m: 64, q: 16 }, grpRef], [{ scheme: 'iom-grp', dim, m: 32, q: 2 }, grpRef],
  [{ scheme: 'iom-urp', dim, m: 64, k: 16, p: 1 }, urpRef], [{ scheme: 'iom-urp', dim, m: 64, k: 16, p: 2 }, urpRef],
  [{ scheme: 'iom-urp', dim, m: 64, k: 64, p: 3 }, urpRef], [{ scheme: 'sign', dim, bits: 128 }, signRef],
];

for (const [params, reference] of cases) {
  test(`${JSON.stringify(params)}: ties resolve as specified`, () => {
    let ties = 0, decidedByRule = 0, zeroProjections = 0;
    for (const x of tieInputs()) {
      const want = reference(params as never, Array.from(_canonicalise(x)));
      assert.is(hex(protect(x, params, key, salt).payload), hex(Uint8Array.from(want.payload)));
      ties += want.ties;
      zeroProjections += want.zeroProjections;
      decidedByRule += want.payload.filter((h, j) => h !== want.lastIndexPayload[j]).length;
    }
    if (params.scheme === 'sign') {
      console.log(`  sign: ${zeroProjections} zero projections`);
      assert.ok(zeroProjections > 50, `only ${zeroProjections} zero projections were exercised`);
    } else {
      console.log(`  ${params.scheme}: ${ties} tied hashes, ${decidedByRule} decided by the smallest-index rule`);
      assert.ok(ties > 20, `only ${ties} tied hashes were exercised`);
      assert.ok(decidedByRule > 20, 'the smallest-index rule decided hashes a largest-index rule would not');
    }
  });
}

test('on random inputs the reference and the implementation agree too', () => {
  for (const [params, reference] of cases) {
    const x = rng.unitVector(dim);
    assert.is(hex(protect(x, params, key, salt).payload), hex(Uint8Array.from(reference(params as never, Array.from(_canonicalise(x))).payload)));
  }
});

test.run();
