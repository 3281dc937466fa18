// Canonicalisation (SPEC.md §2) at its edges: negative zero, subnormals, magnitudes near the
// float32 maximum and minimum, one-hot vectors, exact rounding ties (half to even), the rejected
// inputs (all zero, equal to the mean, NaN, ±Infinity), and the equality of number[],
// Float32Array and ndarray inputs. Expected values come from the straightforward float64
// reference below, written from SPEC.md §2, with its own rounding.
import ndarray from 'ndarray';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, protect, type ProtectParams } from '../../src/index.js';
import { _canonicalise } from '../../src/canonical.js';
import { Seeded } from '../_lib/seeded.js';
import { defaultsFor, hex } from './_fixtures.js';

const FLOAT32_MAX = 3.4028234663852886e38;
const SUBNORMAL_MIN = 2 ** -149;
const dim = 32;
const rng = new Seeded('canonical');
const key = rng.bytes(32);
const salt = rng.bytes(16);

/** Nearest integer, ties to the even one, from the floor and the exact fractional part. */
function roundHalfEvenRef(u: number): number {
  const f = Math.floor(u);
  const frac = u - f;
  if (frac < 0.5) return f;
  if (frac > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** SPEC.md §2 steps 2–6 in plain float64, without typed arrays. */
function canonicalRef(x: ArrayLike<number>, mean?: ArrayLike<number>): number[] {
  const c = Array.from(x, (v, i) => (mean ? Math.fround(v) - Math.fround(mean[i]!) : Math.fround(v)));
  let s = 0;
  for (const ci of c) s = s + ci * ci;
  const n = Math.sqrt(s);
  return c.map((ci) => roundHalfEvenRef((ci / n) * 16384) + 0);
}

const canon = (x: Float32Array, mean?: Float32Array) => Array.from(_canonicalise(x, mean));
const templateHex = (x: Parameters<typeof protect>[0], params: ProtectParams) => hex(encodeTemplate(protect(x, params, key, salt)));
const oneHot = (i: number, value: number) => { const x = new Float32Array(dim); x[i] = value; return x; };

/** Integers z (|z| <= 2^15) with sum of squares exactly 2^30, including odd entries: z / 2 are exact ties. */
function tieVector(): Float32Array {
  const odd = [1, -1, 3, -3, 5, -5, 7, -7, 9, -11, 13, -15, 16383, -16381, 2049, -4095];
  const z = [...odd];
  let rest = 2 ** 30 - odd.reduce((a, v) => a + v * v, 0);
  while (rest > 0) {
    let r = Math.floor(Math.sqrt(rest));
    while (r * r > rest) r--;
    z.push(r);
    rest -= r * r;
  }
  assert.ok(z.length <= dim, 'the tie vector fits in dim');
  return Float32Array.from({ length: dim }, (_, i) => z[i] ?? 0);
}

test('the reference rounding: halves go to the even neighbour', () => {
  const cases: [number, number][] = [[0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, 0], [-1.5, -2], [-2.5, -2], [-3.5, -4], [8191.5, 8192], [-8190.5, -8190], [2.4999999999999996, 2], [2.5000000000000004, 3]];
  for (const [u, want] of cases) assert.is(roundHalfEvenRef(u), want, `${u}`);
});

test('exact ties round half to even (sum of squares 2^30, so c/n * 2^14 = z/2 exactly)', () => {
  const x = tieVector();
  assert.is(x.reduce((a, v) => a + v * v, 0), 2 ** 30);
  const v = canon(x);
  // z / 2 of the 16 odd entries, each exactly halfway: 0.5 -> 0, -0.5 -> 0, 1.5 -> 2, 2.5 -> 2,
  // 3.5 -> 4, 4.5 -> 4, -5.5 -> -6, 6.5 -> 6, -7.5 -> -8, 8191.5 -> 8192, -8190.5 -> -8190, ...
  assert.equal(v.slice(0, 16), [0, 0, 2, -2, 2, -2, 4, -4, 4, -6, 6, -8, 8192, -8190, 1024, -2048]);
  assert.equal(v, canonicalRef(x));
});

test('exact ties after centring by a mean', () => {
  const z = tieVector();
  const mean = Float32Array.from({ length: dim }, (_, i) => (i % 7) - 3);
  const x = z.map((v, i) => v + mean[i]!);
  assert.equal(canon(x, mean), canon(z));
  assert.equal(canon(x, mean), canonicalRef(x, mean));
});

test('one-hot vectors map to ±16384 at their index and 0 elsewhere, at any magnitude', () => {
  for (const i of [0, 1, dim - 1]) for (const value of [1, -1, FLOAT32_MAX, -FLOAT32_MAX, SUBNORMAL_MIN, -SUBNORMAL_MIN, 2 ** -126, 1e-30, 12345.678]) {
    const want = Array.from({ length: dim }, (_, j) => (j === i ? Math.sign(value) * 16384 : 0));
    assert.equal(canon(oneHot(i, value)), want, `index ${i} value ${value}`);
  }
});

test('power-of-two scalings from subnormal to near float32 max give the same canonical vector', () => {
  for (let trial = 0; trial < 50; trial++) {
    const ints = Float32Array.from({ length: dim }, () => rng.int(2001) - 1000);
    if (ints.every((v) => v === 0)) continue;
    const want = canonicalRef(ints);
    for (const e of [-149, -140, -126, -60, 0, 60, 117]) {
      const x = ints.map((v) => v * 2 ** e);
      assert.ok(x.every((v, i) => v / 2 ** e === ints[i]), `2^${e} scaling is exact in float32`);
      assert.equal(canon(x), want, `scaled by 2^${e}`);
    }
  }
});

test('extreme magnitudes side by side: float32 max next to subnormals', () => {
  const x = new Float32Array(dim);
  x[0] = FLOAT32_MAX; x[1] = -FLOAT32_MAX; x[2] = SUBNORMAL_MIN; x[3] = -1e30; x[4] = 1e-38;
  assert.equal(canon(x), canonicalRef(x));
  assert.equal(canon(x).slice(0, 2), [11585, -11585]);
  const withMean = rng.unitVector(dim).map((v) => v * 1e38);
  const mean = withMean.map((v) => -v);
  assert.equal(canon(withMean, mean), canonicalRef(withMean, mean), 'centring doubles magnitudes near the maximum without overflow');
  const subnormals = Float32Array.from({ length: dim }, (_, i) => ((i % 3) - 1) * (i + 1) * SUBNORMAL_MIN);
  assert.equal(canon(subnormals), canonicalRef(subnormals));
});

test('random vectors of mixed exponents agree with the reference', () => {
  for (let trial = 0; trial < 2000; trial++) {
    const x = Float32Array.from({ length: dim }, () => rng.gauss() * 2 ** (rng.int(80) - 40));
    const mean = trial % 2 ? Float32Array.from({ length: dim }, () => rng.gauss() * 2 ** (rng.int(80) - 40)) : undefined;
    assert.equal(canon(x, mean), canonicalRef(x, mean));
  }
});

test('negative zero is zero: -0 entries give the bytes of +0 entries', () => {
  for (const params of defaultsFor(dim)) {
    const x = rng.unitVector(dim);
    for (let i = 0; i < dim; i += 3) x[i] = 0;
    const negative = x.map((v) => (v === 0 ? -0 : v));
    assert.ok(Object.is(negative[0], -0));
    assert.is(templateHex(negative, params), templateHex(x, params));
  }
  const xs = rng.unitVector(dim);
  assert.equal(canon(xs, new Float32Array(dim).fill(-0)), canon(xs));
});

test('a -0 in the mean changes only the mean identifier', () => {
  const params = defaultsFor(dim)[0]!;
  const x = rng.unitVector(dim);
  const zero = protect(x, { ...params, mean: new Float32Array(dim) }, key, salt);
  const negZero = protect(x, { ...params, mean: new Float32Array(dim).fill(-0) }, key, salt);
  assert.is(hex(negZero.payload), hex(zero.payload));
  assert.is.not(hex(negZero.meanId), hex(zero.meanId));
});

test('rejected inputs: all zero, equal to the mean, NaN, ±Infinity (RangeError)', () => {
  const params = defaultsFor(dim)[2]!;
  const x = rng.unitVector(dim);
  const rejects: [string, () => unknown][] = [
    ['all zero', () => protect(new Float32Array(dim), params, key, salt)],
    ['all -0', () => protect(new Float32Array(dim).fill(-0), params, key, salt)],
    ['+0 against a -0 mean', () => protect(new Float32Array(dim), { ...params, mean: new Float32Array(dim).fill(-0) }, key, salt)],
    ['equal to the mean', () => protect(x, { ...params, mean: x }, key, salt)],
    ['number[] equal to a Float32Array mean', () => protect(Array.from(x), { ...params, mean: x }, key, salt)],
    ['subnormal equal to the mean', () => protect(oneHot(5, SUBNORMAL_MIN), { ...params, mean: oneHot(5, SUBNORMAL_MIN) }, key, salt)],
    ...[NaN, Infinity, -Infinity].flatMap((bad): [string, () => unknown][] => [0, dim - 1].map((i) => [`${bad} at ${i}`, () => protect(x.map((v, j) => (j === i ? bad : v)), params, key, salt)])),
    ['NaN in the mean', () => protect(x, { ...params, mean: oneHot(3, NaN) }, key, salt)],
  ];
  for (const [what, call] of rejects) assert.throws(call, (e: unknown) => e instanceof RangeError, what);
});

test('number[], Float32Array and ndarray inputs (also strided views and float64 values) give identical bytes', () => {
  for (const params of defaultsFor(dim)) {
    const x = rng.unitVector(dim);
    const want = templateHex(x, params);
    const strided = new Float32Array(2 * dim + 1);
    x.forEach((v, i) => { strided[1 + 2 * i] = v; });
    const float64 = Array.from(x, (v) => v + (rng.float() - 0.5) * Math.abs(v) * 2 ** -27);
    assert.ok(float64.some((v, i) => v !== x[i]) && float64.every((v, i) => Math.fround(v) === x[i]), 'float64 values that round to the same float32');
    const inputs: [string, Parameters<typeof protect>[0]][] = [
      ['number[]', Array.from(x)], ['ndarray', ndarray(x)], ['ndarray of number[]', ndarray(Array.from(x))],
      ['strided ndarray view', ndarray(strided, [dim], [2], 1)], ['float64 number[]', float64], ['ndarray of float64', ndarray(Float64Array.from(float64))],
      ['Float32Array subarray', Float32Array.of(7, 7, 7, ...x).subarray(3)],
    ];
    for (const [what, input] of inputs) assert.is(templateHex(input, params), want, `${params.scheme}: ${what}`);
  }
});

test.run();
