// Score disclosure: Matcher and Gallery give decisions and ranks only by default, coarsened or
// exact scores when asked for by name; a gallery that discloses nothing needs a threshold to
// identify; compareTemplates (the raw score) validates every field as Matcher and Gallery do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTemplates, assertComparable, protect, type ProtectedTemplate, type TransformParams } from '../../src/index.js';
import { BACKENDS, coarsenScore, Gallery, init, Matcher } from '../../src/match/index.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('match-disclosure');
const dim = 64;
const key = rng.bytes(32), salt = rng.bytes(16);
const PARAMS: TransformParams[] = [
  { scheme: 'iom-grp', dim, m: 40, q: 8 },
  { scheme: 'iom-urp', dim, m: 33, k: 16, p: 2 },
  { scheme: 'sign', dim, bits: 256 },
];

for (const backend of BACKENDS) {
  test(`${backend}: Matcher discloses nothing by default, coarse or exact scores when asked`, async () => {
    await init({ backend });
    for (const params of PARAMS) {
      const x = rng.unitVector(dim);
      const enrolled = protect(x, params, key, salt);
      for (const cos of [0.95, 0.8, 0]) {
        const probe = protect(cos === 0 ? rng.unitVector(dim) : rng.perturbed(x, cos), params, key, salt);
        const exact = compareTemplates(probe, enrolled);
        for (const threshold of [0, exact, 1]) {
          const none = new Matcher({ threshold }).verify(probe, enrolled);
          assert.equal(Object.keys(none), ['match'], `${params.scheme}: no score key by default`);
          assert.is(none.match, exact >= threshold);
          assert.equal(new Matcher({ threshold, scores: 'none' }).verify(probe, enrolled), none);
          assert.equal(new Matcher({ threshold, scores: 'coarse' }).verify(probe, enrolled), { match: none.match, score: coarsenScore(exact) });
          assert.equal(new Matcher({ threshold, scores: 'exact' }).verify(probe, enrolled), { match: none.match, score: exact });
        }
      }
    }
  });

  test(`${backend}: Gallery discloses ranks by default, coarse or exact scores when asked`, async () => {
    await init({ backend });
    const params = PARAMS[0]!;
    const xs = Array.from({ length: 6 }, () => rng.unitVector(dim));
    const ts = xs.map((x) => protect(x, params, key, salt));
    const probe = protect(rng.perturbed(xs[2]!, 0.9), params, key, salt);
    const exact = ts.map((t) => compareTemplates(probe, t));
    const galleries = (['none', 'coarse', 'exact'] as const).map((scores) => {
      const g = new Gallery(ts[0]!, { scores });
      ts.forEach((t, i) => g.add(`s${i}`, t));
      return g;
    });
    const [none, coarse, exactGallery] = galleries as [Gallery, Gallery, Gallery];
    const withScores = exactGallery.identify(probe, { k: 3, threshold: 0 });
    assert.equal(withScores.map((c) => c.score), [...exact].sort((a, b) => b - a).slice(0, 3));
    assert.equal(withScores.map((c) => c.rank), [1, 2, 3]);
    assert.equal(none.identify(probe, { k: 3, threshold: 0 }), withScores.map(({ id, rank }) => ({ id, rank })));
    assert.equal(coarse.identify(probe, { k: 3, threshold: 0 }), withScores.map(({ id, rank, score }) => ({ id, rank, score: coarsenScore(score!) })));
    assert.equal(none.identifyMany([probe], { k: 3, threshold: 0 }), [none.identify(probe, { k: 3, threshold: 0 })]);
    for (const c of none.identify(probe, { k: 3, threshold: 0 })) assert.equal(Object.keys(c), ['id', 'rank']);
    assert.equal(none.verify('s2', probe, { threshold: 0.5 }), { match: exact[2]! >= 0.5 });
    assert.equal(coarse.verify('s2', probe, { threshold: 0.5 }), { match: exact[2]! >= 0.5, score: coarsenScore(exact[2]!) });
    assert.equal(exactGallery.verify('s2', probe, { threshold: 0.5 }), { match: exact[2]! >= 0.5, score: exact[2]! });
    // Without a threshold, the order of sub-threshold candidates would be a score oracle.
    assert.throws(() => none.identify(probe), RangeError);
    assert.throws(() => none.identify(probe, { k: 5 }), RangeError);
    assert.throws(() => none.identifyMany([probe]), RangeError);
    assert.is(coarse.identify(probe).length, 1);
    assert.is(exactGallery.identify(probe).length, 1);
  });
}

test('a score disclosure other than none, coarse or exact is refused', async () => {
  await init();
  const t = protect(rng.unitVector(dim), PARAMS[0]!, key, salt);
  assert.throws(() => new Matcher({ threshold: 0.5, scores: 'full' as never }), RangeError);
  assert.throws(() => new Matcher({ threshold: 0.5, scores: 1 as never }), TypeError);
  assert.throws(() => new Gallery(t, { scores: 'rounded' as never }), RangeError);
});

test('compareTemplates and assertComparable reject malformed templates, as Matcher does', async () => {
  await init();
  const cases: [string, (t: ProtectedTemplate) => ProtectedTemplate][] = [
    ['an IoM payload value >= q', (t) => ({ ...t, payload: t.payload.map(() => 200) })],
    ['a 15-byte salt', (t) => ({ ...t, salt: t.salt.subarray(0, 15) })],
    ['a 33-byte salt', (t) => ({ ...t, salt: Uint8Array.of(...rng.bytes(33)) })],
    ['a payload one byte short', (t) => ({ ...t, payload: t.payload.subarray(1) })],
  ];
  const matcher = new Matcher({ threshold: 0.5 });
  for (const params of PARAMS) {
    const good = protect(rng.unitVector(dim), params, key, salt);
    for (const [what, spoil] of cases) {
      if (what.startsWith('an IoM') && params.scheme === 'sign') continue;
      const bad = spoil(good);
      for (const [a, b] of [[bad, bad], [bad, good], [good, bad]] as const) {
        assert.throws(() => compareTemplates(a, b), RangeError, `${params.scheme}, ${what}: compareTemplates`);
        assert.throws(() => assertComparable(a, b), RangeError, `${params.scheme}, ${what}: assertComparable`);
        assert.throws(() => matcher.verify(a, b), RangeError, `${params.scheme}, ${what}: Matcher`);
      }
    }
  }
});

test.run();
