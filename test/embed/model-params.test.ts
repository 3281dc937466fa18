// The committed mean of the face-api recogniser equals the mean of the LFW descriptors of the
// people with a single photo in ../shared (the people the evaluation never measures; recomputed
// here independently, and by centringVector of templock/eval at each scheme's centring
// strength; skipped without ../shared), and the recommended parameters and thresholds are
// well-formed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FACEAPI_DIM, faceapiMean, faceapiParams, faceapiThreshold } from '../../src/embed/index.js';
import { FACEAPI_THRESHOLD_PARAMS } from '../../src/embed/faceapi-mean.gen.js';
import { thresholdParams } from '../../src/embed/make-mean.js';
import { centringVector } from '../../src/eval/centring.js';
import { checkParams, DEFAULT_CENTRING_STRENGTH, SCHEME_NAMES } from '../../src/index.js';
import { sharedPath } from '../_lib/shared.js';

test('the committed mean is the float32-rounded mean of the shared LFW descriptors of single-photo people', () => {
  const path = sharedPath('data/lfw-faceapi128/embeddings.f32', 'embed/model-params');
  if (!path) return;
  const bytes = readFileSync(path);
  const meta = JSON.parse(readFileSync(join(dirname(path), 'meta.json'), 'utf8')) as { rows: Array<[string, number]> };
  const photos = new Map<number, number>();
  for (const [, person] of meta.rows) photos.set(person, (photos.get(person) ?? 0) + 1);
  const single = meta.rows.flatMap(([, person], r) => (photos.get(person) === 1 ? [r] : []));
  assert.is(single.length, 4064, 'LFW has 4,064 people with a single photo');
  const sum = new Array<number>(FACEAPI_DIM).fill(0);
  for (const r of single) for (let i = 0; i < FACEAPI_DIM; i++) sum[i] += bytes.readFloatLE((r * FACEAPI_DIM + i) * 4);
  const mean = faceapiMean();
  for (let i = 0; i < FACEAPI_DIM; i++) assert.is(mean[i], Math.fround(sum[i]! / single.length), `mean[${i}]`);
  const all = new Float32Array(Uint8Array.from(bytes).buffer);
  const vectors = new Float32Array(single.length * FACEAPI_DIM);
  single.forEach((r, k) => vectors.set(all.subarray(r * FACEAPI_DIM, (r + 1) * FACEAPI_DIM), k * FACEAPI_DIM));
  for (const scheme of SCHEME_NAMES) {
    const strength = DEFAULT_CENTRING_STRENGTH[scheme];
    assert.equal(faceapiParams(scheme).mean, centringVector(vectors, FACEAPI_DIM, strength), `${scheme} centring`);
  }
});

test('faceapiMean returns a fresh copy; faceapiParams are valid at dim 128 with that mean', () => {
  const a = faceapiMean();
  a.fill(0);
  assert.ok(faceapiMean().some((v) => v !== 0));
  for (const scheme of SCHEME_NAMES) {
    const p = faceapiParams(scheme);
    assert.is(checkParams(p).dim, 128);
    assert.equal(p.mean, faceapiMean(DEFAULT_CENTRING_STRENGTH[scheme]));
    const strict = faceapiThreshold(scheme);
    assert.ok(strict > 0 && strict < 1);
    assert.ok(faceapiThreshold(scheme, '1e-3') <= strict, 'a lower false match rate needs a higher threshold');
  }
  assert.throws(() => faceapiThreshold('nope' as 'sign'), RangeError);
  assert.throws(() => faceapiParams('nope' as 'sign'), RangeError);
  assert.throws(() => faceapiMean(0), RangeError);
  assert.throws(() => faceapiThreshold('sign', '1e-9' as '1e-4'), RangeError);
});

test('the committed thresholds were measured with the current default parameters and centring', () => {
  assert.is(FACEAPI_THRESHOLD_PARAMS, thresholdParams(), 'defaults changed: run node --import tsx src/embed/make-mean.ts');
});

test.run();
