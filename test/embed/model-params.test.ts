// The committed mean of the face-api recogniser equals the mean of the LFW descriptors in
// ../shared (recomputed here independently, and by centringVector of templock/eval at each
// scheme's centring strength; skipped without ../shared), and the recommended parameters and
// thresholds are well-formed.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FACEAPI_DIM, faceapiMean, faceapiParams, faceapiThreshold } from '../../src/embed/index.js';
import { FACEAPI_THRESHOLD_PARAMS } from '../../src/embed/faceapi-mean.gen.js';
import { thresholdParams } from '../../src/embed/make-mean.js';
import { centringVector } from '../../src/eval/centring.js';
import { checkParams, DEFAULT_CENTRING_STRENGTH, SCHEME_NAMES } from '../../src/index.js';
import { sharedPath } from '../_lib/shared.js';

test('the committed mean is the float32-rounded mean of the shared LFW descriptors', () => {
  const path = sharedPath('data/lfw-faceapi128/embeddings.f32', 'embed/model-params');
  if (!path) return;
  const bytes = readFileSync(path);
  const rows = bytes.length / (FACEAPI_DIM * 4);
  const sum = new Array<number>(FACEAPI_DIM).fill(0);
  for (let r = 0; r < rows; r++) for (let i = 0; i < FACEAPI_DIM; i++) sum[i] += bytes.readFloatLE((r * FACEAPI_DIM + i) * 4);
  const mean = faceapiMean();
  for (let i = 0; i < FACEAPI_DIM; i++) assert.is(mean[i], Math.fround(sum[i]! / rows), `mean[${i}]`);
  const vectors = new Float32Array(Uint8Array.from(bytes).buffer);
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
