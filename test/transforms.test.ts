// Transforms: determinism, genuine vs impostor separation, and the template round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTemplates, decodeTemplate, encodeTemplate, protect, type TransformParams } from '../src/index.js';
import { Seeded } from './_lib/seeded.js';

const rng = new Seeded('transforms');
const key = rng.bytes(32);
const salt = rng.bytes(16);
const dim = 128;
const SCHEMES: TransformParams[] = [
  { scheme: 'iom-grp', dim, m: 256, q: 16 },
  { scheme: 'iom-urp', dim, m: 256, k: 16, p: 2 },
  { scheme: 'sign', dim, bits: 256 },
];

for (const params of SCHEMES) {
  test(`${params.scheme}: same input, key and salt give the same bytes`, () => {
    const x = rng.unitVector(dim);
    assert.equal(encodeTemplate(protect(x, params, key, salt)), encodeTemplate(protect(Array.from(x), params, key, salt)));
  });

  test(`${params.scheme}: a template survives encode/decode and scores 1 against itself`, () => {
    const t = protect(rng.unitVector(dim), params, key, salt);
    const back = decodeTemplate(encodeTemplate(t));
    assert.equal(back.params, t.params);
    assert.is(compareTemplates(back, t), 1);
  });

  test(`${params.scheme}: a close embedding scores above an unrelated one`, () => {
    const x = rng.unitVector(dim);
    const t = protect(x, params, key, salt);
    const near = compareTemplates(t, protect(rng.perturbed(x, 0.95), params, key, salt));
    const far = compareTemplates(t, protect(rng.unitVector(dim), params, key, salt));
    assert.ok(near > far + 0.2, `${params.scheme}: near ${near} vs far ${far}`);
  });
}

test.run();
