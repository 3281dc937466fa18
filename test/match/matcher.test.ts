// Matcher: exact scores equal compareTemplates() on every backend, the threshold decides `match`, and
// templates of another scheme, parameter set, key or mean are INCOMPATIBLE.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTemplates, isTemplockError, protect, type ProtectedTemplate, type TransformParams } from '../../src/index.js';
import { BACKENDS, init, Matcher } from '../../src/match/index.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('match-matcher');
const key = rng.bytes(32), otherKey = rng.bytes(32), salt = rng.bytes(16);
const dim = 64;
const PARAMS: TransformParams[] = [
  { scheme: 'iom-grp', dim, m: 40, q: 8 },
  { scheme: 'iom-urp', dim, m: 33, k: 16, p: 2 },
  { scheme: 'sign', dim, bits: 256 },
];

test('the Matcher needs init() and a threshold in [0, 1]', async () => {
  await init();
  assert.throws(() => new Matcher({ threshold: 1.5 }), RangeError);
  assert.throws(() => new Matcher({ threshold: Number.NaN }), RangeError);
  assert.throws(() => new Matcher(null as never), TypeError);
});

for (const b of BACKENDS) {
  test(`${b}: verify scores as compareTemplates and decides at the threshold`, async () => {
    await init({ backend: b });
    for (const params of PARAMS) {
      const x = rng.unitVector(dim);
      const enrolled = protect(x, params, key, salt);
      for (const cos of [0.99, 0.9, 0.7, 0]) {
        const probe = protect(cos === 0 ? rng.unitVector(dim) : rng.perturbed(x, cos), params, key, salt);
        const expected = compareTemplates(probe, enrolled);
        for (const threshold of [0, expected, Math.min(1, expected + 1e-9), 1]) {
          const r = new Matcher({ threshold, scores: 'exact' }).verify(probe, enrolled);
          assert.equal(r, { match: expected >= threshold, score: expected }, `${params.scheme} cos ${cos}`);
        }
      }
      // Another salt is comparable, as in compareTemplates (it scores like an impostor).
      const crossSalt = protect(x, params, key, rng.bytes(16));
      assert.is(new Matcher({ threshold: 0, scores: 'exact' }).verify(crossSalt, enrolled).score, compareTemplates(crossSalt, enrolled));
    }
  });
}

test('templates of another scheme, parameter set, key or mean are INCOMPATIBLE', async () => {
  await init();
  const m = new Matcher({ threshold: 0.5 });
  const x = rng.unitVector(dim);
  const base = protect(x, PARAMS[0]!, key, salt);
  const others: [string, ProtectedTemplate][] = [
    ['scheme', protect(x, PARAMS[2]!, key, salt)],
    ['parameters', protect(x, { scheme: 'iom-grp', dim, m: 40, q: 9 }, key, salt)],
    ['key', protect(x, PARAMS[0]!, otherKey, salt)],
    ['mean', protect(x, { ...PARAMS[0]!, mean: rng.unitVector(dim) }, key, salt)],
  ];
  for (const [what, t] of others) {
    for (const [p, e] of [[t, base], [base, t]] as const) {
      try {
        m.verify(p, e);
        assert.unreachable(what);
      } catch (err) {
        assert.ok(isTemplockError(err, 'INCOMPATIBLE'), `${what}: ${String(err)}`);
      }
    }
  }
  assert.throws(() => m.verify({ ...base, payload: base.payload.subarray(1) }, base), RangeError);
  assert.throws(() => m.verify({ ...base, payload: base.payload.map(() => 200) }, base), RangeError);
  assert.throws(() => m.verify(null as never, base), TypeError);
});

test.run();
